package com.gladstream.streams.statistics;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Running statistics of the scores in one window: count, anomalies, sum, min, max and a histogram
 * for the 95th percentile.
 *
 * <p>The histogram has logarithmic buckets, each {@link #GAMMA} times wider than the previous one
 * (the DDSketch layout): bucket {@code i} holds scores in (γ^(i-1), γ^i]. Reporting a bucket by
 * {@code 2γ^i/(γ+1)} is within {@link #RELATIVE_ACCURACY} (1 %) of every score in it, and the
 * number of buckets is bounded by the range of scores, not by how many there are: scores between
 * 1e-9 and 1e9 need at most about 2,100 buckets, a realistic score range a few hundred. Scores at or
 * below {@link #ZERO_LIMIT} (anomaly scores are never negative) share one bucket reported as 0.
 * The reported p95 is clamped to [min, max], so a window of equal scores reports them exactly.
 *
 * <p>A score that is NaN or infinite (a failed inference, a broken model) counts as a result and
 * as {@link #unscored()}, but stays out of the mean, the extremes and the histogram: one such score
 * must not turn a whole window's mean and p95 into NaN.
 */
public final class ScoreSummary {

    public static final double RELATIVE_ACCURACY = 0.01;
    static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    static final double ZERO_LIMIT = 1e-9;
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final int ZERO_BUCKET = Integer.MIN_VALUE;

    private long count;
    private long anomalies;
    private long unscored;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private final TreeMap<Integer, Long> buckets = new TreeMap<>();

    public static ScoreSummary empty() {
        return new ScoreSummary();
    }

    /** Adds one result; returns this summary, for use as a Kafka Streams aggregator. */
    public ScoreSummary add(double score, boolean anomalous) {
        count++;
        if (anomalous) {
            anomalies++;
        }
        if (!Double.isFinite(score)) {
            unscored++;
            return this;
        }
        sum += score;
        min = Math.min(min, score);
        max = Math.max(max, score);
        buckets.merge(bucketOf(score), 1L, Long::sum);
        return this;
    }

    public long count() {
        return count;
    }

    public long anomalies() {
        return anomalies;
    }

    /** Results whose score was NaN or infinite. */
    public long unscored() {
        return unscored;
    }

    public double anomalyRate() {
        return count == 0 ? 0 : (double) anomalies / count;
    }

    /** The mean of the finite scores; 0 when there are none. */
    public double meanScore() {
        long scored = count - unscored;
        return scored == 0 ? 0 : sum / scored;
    }

    /** The nearest-rank 95th percentile of the finite scores (the ⌈0.95·n⌉-th smallest), within 1 %; 0 when there are none. */
    public double p95Score() {
        long scored = count - unscored;
        if (scored == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(0.95 * scored);
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return Math.max(min, Math.min(max, valueOf(bucket.getKey())));
            }
        }
        return max;
    }

    private static int bucketOf(double score) {
        return score <= ZERO_LIMIT ? ZERO_BUCKET : (int) Math.ceil(Math.log(score) / LOG_GAMMA);
    }

    private static double valueOf(int bucket) {
        return bucket == ZERO_BUCKET ? 0 : 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
    }

    /** Serde for the window store: the fixed fields, then (bucket, count) pairs, then the unscored count. */
    public static Serde<ScoreSummary> serde() {
        return Serdes.serdeFrom(
                (topic, summary) -> {
                    if (summary == null) {
                        return null;
                    }
                    ByteBuffer out = ByteBuffer.allocate(3 * Long.BYTES + 3 * Double.BYTES + Integer.BYTES
                            + summary.buckets.size() * (Integer.BYTES + Long.BYTES));
                    out.putLong(summary.count).putLong(summary.anomalies)
                            .putDouble(summary.sum).putDouble(summary.min).putDouble(summary.max)
                            .putInt(summary.buckets.size());
                    summary.buckets.forEach((bucket, n) -> out.putInt(bucket).putLong(n));
                    out.putLong(summary.unscored);
                    return out.array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        ByteBuffer in = ByteBuffer.wrap(bytes);
                        ScoreSummary summary = new ScoreSummary();
                        summary.count = in.getLong();
                        summary.anomalies = in.getLong();
                        summary.sum = in.getDouble();
                        summary.min = in.getDouble();
                        summary.max = in.getDouble();
                        for (int i = in.getInt(); i > 0; i--) {
                            summary.buckets.put(in.getInt(), in.getLong());
                        }
                        // Summaries stored before the unscored count existed end here.
                        summary.unscored = in.hasRemaining() ? in.getLong() : 0;
                        return summary;
                    } catch (RuntimeException e) {
                        throw new SerializationException("malformed score summary of " + bytes.length + " bytes", e);
                    }
                });
    }
}
