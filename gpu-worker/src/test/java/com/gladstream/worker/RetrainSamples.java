package com.gladstream.worker;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.synthetic.SyntheticCategoryGenerator;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.SampleLabel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** NORMAL samples for the retraining tests: new frames of {@link TinyCategory}'s surface, and the samples topic. */
final class RetrainSamples {

    private RetrainSamples() {}

    /** {@code count} normal frames the tiny model has not seen: the same kind of surface, another seed. */
    static List<byte[]> normals(Path root, int count, long seed) throws IOException {
        Path dir = Files.createTempDirectory(root, "normals");
        SyntheticCategoryGenerator.write(dir.resolve(TinyCategory.NAME),
                new SyntheticCategoryOptions(TinyCategory.NAME, SyntheticCategoryOptions.Kind.TEXTURE, count, 1, 1, 32, seed));
        List<byte[]> pngs = new ArrayList<>();
        for (Path p : ImageLoader.listImages(dir.resolve(TinyCategory.NAME).resolve("train").resolve("good"))) {
            pngs.add(Files.readAllBytes(p));
        }
        return pngs.subList(0, count);
    }

    /** NORMAL samples as the streams app records them: on the samples topic, keyed by category. */
    static void produce(Testbed bed, List<byte[]> pngs) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (byte[] png : pngs) {
            ImageEvent e = Testbed.event(TinyCategory.NAME, png).setLabel(SampleLabel.NORMAL).build();
            records.add(new ProducerRecord<>(bed.topics.samples(), TinyCategory.NAME.getBytes(StandardCharsets.UTF_8),
                    bed.serdes.images().serializer().serialize(bed.topics.samples(), e)));
        }
        bed.produce(records);
    }
}
