package com.gladstream.worker.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.worker.BadImages;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.schemas.claimcheck.ImageUriPolicy;
import com.gladstream.schemas.claimcheck.UriNotAllowedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding and claim-check limits the worker applies to whatever got past validation. */
class RequestDecoderTest {

    @TempDir
    Path root;

    @Test
    void compressedTextChunksAreSkippedUnreadSoTheyCannotInflateIntoTheHeap() {
        // 400 chunks of 4 MiB each: 1.6 GB if a decoder inflated the metadata.
        byte[] bomb = BadImages.textBomb(400, 4 << 20);
        long before = usedHeap();
        long start = System.nanoTime();
        FloatImage image = ImageLoader.decodeUntrusted(bomb, "bomb", 3, 1 << 20);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(image.width()).isEqualTo(8);
        assertThat(seconds).isLessThan(5);
        assertThat(usedHeap() - before).isLessThan(256L << 20);
    }

    @Test
    void uriPolicyConfinesFilesToTheRootsAndHostsToTheAllowlist() throws Exception {
        Path allowed = Files.createDirectories(root.resolve("images"));
        Path inside = Files.writeString(allowed.resolve("a.png"), "x");
        Path outside = Files.writeString(root.resolve("b.png"), "x");
        Path link = Files.createSymbolicLink(allowed.resolve("escape.png"), outside);
        ImageUriPolicy policy = new ImageUriPolicy(List.of(allowed), Set.of("cameras.example"));

        assertThat(policy.check(inside.toUri().toString())).isEqualTo(new ImageUriPolicy.LocalFile(inside.toRealPath()));
        assertThat(policy.check("https://cameras.example/frame/1.png")).isInstanceOf(ImageUriPolicy.RemoteUrl.class);
        for (String refused : List.of("file:///etc/passwd", outside.toUri().toString(), link.toUri().toString(),
                allowed.toUri() + "../b.png", allowed.toUri() + "%2e%2e/b.png", "http://169.254.169.254/latest",
                "https://user@cameras.example/x.png", "ftp://cameras.example/x.png", "a.png")) {
            assertThatThrownBy(() -> policy.check(refused)).as(refused).isInstanceOf(UriNotAllowedException.class);
        }
        ImageUriPolicy none = new ImageUriPolicy(List.of(), Set.of());
        assertThatThrownBy(() -> none.check(inside.toUri().toString())).isInstanceOf(UriNotAllowedException.class);
    }

    private static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
