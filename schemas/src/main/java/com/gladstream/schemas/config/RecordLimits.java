package com.gladstream.schemas.config;

/**
 * How large a record GLAD Stream accepts, and so how large its topics must let records be. Every
 * output is a little larger than the input it comes from (a request embeds the image event, a dead
 * letter the original value), so topics allow {@link #OUTPUT_HEADROOM_BYTES} more than the input
 * cap: an input under the cap always has room for its output, and a too-large output can never
 * wedge a transaction. The defaults fit a broker's default {@code message.max.bytes} (1 048 588).
 *
 * @param maxInputBytes largest image record (key + value) accepted, setting {@code records.max-bytes}
 */
public record RecordLimits(int maxInputBytes) {

    public static final String SETTING = "records.max-bytes";
    public static final int OUTPUT_HEADROOM_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_INPUT_BYTES = 1024 * 1024 - OUTPUT_HEADROOM_BYTES;
    public static final RecordLimits DEFAULTS = new RecordLimits(DEFAULT_MAX_INPUT_BYTES);

    public RecordLimits {
        if (maxInputBytes < 1024 || maxInputBytes > Integer.MAX_VALUE - OUTPUT_HEADROOM_BYTES) {
            throw new IllegalArgumentException(SETTING + " must be between 1024 and "
                    + (Integer.MAX_VALUE - OUTPUT_HEADROOM_BYTES) + " bytes, got " + maxInputBytes);
        }
    }

    public static RecordLimits from(ServiceConfig config) {
        return new RecordLimits(config.integer(SETTING, DEFAULT_MAX_INPUT_BYTES, 1024));
    }

    /** The {@code max.message.bytes} of every topic, and the {@code max.request.size} of producers. */
    public int maxMessageBytes() {
        return maxInputBytes + OUTPUT_HEADROOM_BYTES;
    }
}
