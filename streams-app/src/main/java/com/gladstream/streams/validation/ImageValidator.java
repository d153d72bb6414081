package com.gladstream.streams.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.claimcheck.ImageUriPolicy;
import com.gladstream.schemas.claimcheck.UriNotAllowedException;
import com.gladstream.schemas.serde.Buffers;

/**
 * Decides whether an image event can go to inference. Checks run cheapest first and the first
 * failure is the reason:
 *
 * <ol>
 *   <li>{@code MISSING_PAYLOAD}: neither inline bytes nor a URI; or a URI that cannot locate an
 *       image (malformed, a scheme other than {@code file:}, {@code http:}, {@code https:}, an
 *       http URL without a host, a file that does not exist)</li>
 *   <li>{@code URI_NOT_ALLOWED}: both inline bytes and a URI; which one is the image is
 *       ambiguous, and an unchecked URI must not ride along to the worker; or a URI outside the
 *       claim-check policy ({@code images.file-roots}, {@code images.http-hosts})</li>
 *   <li>{@code CLOCK_SKEW}: a capture time more than the allowed skew after the time the record
 *       was received (see {@link #validate})</li>
 *   <li>{@code UNSUPPORTED_ENCODING}: encoding {@code UNKNOWN}</li>
 *   <li>{@code UNKNOWN_CATEGORY}: no configured or published model for the category</li>
 *   <li>{@code UNSUPPORTED_ENCODING}: an inline JPEG whose frame is not Huffman-coded baseline,
 *       extended or progressive with 1 or 3 components (checked before the header, which the JDK
 *       reader refuses for some of them)</li>
 *   <li>{@code CORRUPT_IMAGE}: the header cannot be read as the declared encoding, or declares no pixels;
 *       {@code UNSUPPORTED_ENCODING}: it can, but not into a pixel layout this service decodes</li>
 *   <li>{@code TOO_LARGE}: width × height × bytes per pixel exceeds the decoded-size cap</li>
 *   <li>{@code SIZE_MISMATCH}: the header's size differs from the declared width and height</li>
 *   <li>{@code CORRUPT_IMAGE}: inline bytes are truncated or damaged ({@link ImageCompleteness})</li>
 * </ol>
 *
 * <p>A {@code file:} image has its header checked here; its full content, like that of an
 * {@code http(s):} image (never fetched by the router, which does no network I/O per record), is
 * checked by the worker that loads it.
 */
public final class ImageValidator {

    private static final Set<String> URI_SCHEMES = Set.of("file", "http", "https");

    private final long maxDecodedBytes;
    private final Duration maxClockSkew;
    private final ImageUriPolicy uriPolicy;
    private final Predicate<String> knownCategory;

    public ImageValidator(long maxDecodedBytes, Duration maxClockSkew, ImageUriPolicy uriPolicy,
            Predicate<String> knownCategory) {
        if (maxDecodedBytes < 1) {
            throw new IllegalArgumentException("the decoded-size cap must be positive, got " + maxDecodedBytes);
        }
        this.maxDecodedBytes = maxDecodedBytes;
        this.uriPolicy = uriPolicy;
        this.maxClockSkew = maxClockSkew;
        this.knownCategory = knownCategory;
    }

    /**
     * Returns normally when {@code event} is fit for inference.
     *
     * @param receivedAt when the event reached the cluster: the earlier of the record's timestamp
     *                   (the broker's append time on a topic made by {@code TopicSetup}) and this
     *                   service's clock, so neither a camera's clock nor a replay can vouch for a
     *                   capture time in the future
     */
    public void validate(ImageEvent event, Instant receivedAt) throws ImageRejectedException {
        byte[] inline = inlineBytes(event.getImageBytes());
        String uri = event.getImageUri() == null ? "" : event.getImageUri().trim();
        if (inline == null && uri.isEmpty()) {
            throw new ImageRejectedException(RejectReason.MISSING_PAYLOAD, "neither imageBytes nor imageUri is set");
        }
        if (inline != null && !uri.isEmpty()) {
            throw new ImageRejectedException(RejectReason.URI_NOT_ALLOWED,
                    "both imageBytes and imageUri are set: send the image one way, inline or by reference");
        }
        Path file = inline == null ? confine(uri, locate(uri)) : null;
        Instant latestPlausible = receivedAt.plus(maxClockSkew);
        if (event.getCaptureTime() != null && event.getCaptureTime().isAfter(latestPlausible)) {
            throw new ImageRejectedException(RejectReason.CLOCK_SKEW, "captureTime " + event.getCaptureTime()
                    + " is more than " + maxClockSkew + " after the record was received (" + receivedAt
                    + "): the camera's clock is ahead");
        }
        if (event.getEncoding() == ImageEncoding.UNKNOWN) {
            throw new ImageRejectedException(RejectReason.UNSUPPORTED_ENCODING,
                    "encoding UNKNOWN: declare PNG, JPEG or BMP");
        }
        if (!knownCategory.test(event.getCategory())) {
            throw new ImageRejectedException(RejectReason.UNKNOWN_CATEGORY,
                    "no model is configured or published for category '" + event.getCategory() + "'");
        }
        if (inline != null) {
            ImageCompleteness.checkCoding(inline, event.getEncoding());
            ImageHeader header = ImageHeader.read(
                    new MemoryCacheImageInputStream(new ByteArrayInputStream(inline)), event.getEncoding());
            checkSize(header, event);
            ImageCompleteness.check(inline, event.getEncoding(), header);
        } else if (file != null) {
            checkSize(readFileHeader(file, event.getEncoding()), event);
        }
    }

    private void checkSize(ImageHeader header, ImageEvent event) throws ImageRejectedException {
        if (header.width() < 1 || header.height() < 1) {
            throw new ImageRejectedException(RejectReason.CORRUPT_IMAGE,
                    "the image header declares " + header.width() + "×" + header.height() + ": no pixels");
        }
        if (header.decodedBytes() > maxDecodedBytes) {
            throw new ImageRejectedException(RejectReason.TOO_LARGE, String.format(
                    "%d×%d pixels of %d bits decode to %d bytes, over the cap of %d", header.width(), header.height(),
                    header.bitsPerPixel(), header.decodedBytes(), maxDecodedBytes));
        }
        if (header.width() != event.getWidth() || header.height() != event.getHeight()) {
            throw new ImageRejectedException(RejectReason.SIZE_MISMATCH, String.format(
                    "declared %d×%d but the image header says %d×%d",
                    event.getWidth(), event.getHeight(), header.width(), header.height()));
        }
    }

    /** The local file behind a {@code file:} URI, or null for an {@code http(s):} URL, which is only checked for form. */
    private static Path locate(String text) throws ImageRejectedException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw missing("imageUri '" + text + "' is not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!URI_SCHEMES.contains(scheme)) {
            throw missing("imageUri '" + text + "' has " + (scheme.isEmpty() ? "no scheme" : "scheme " + scheme)
                    + "; supported: file, http, https");
        }
        if (!scheme.equals("file")) {
            if (uri.getHost() == null) {
                throw missing("imageUri '" + text + "' has no host");
            }
            return null;
        }
        Path file;
        try {
            file = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw missing("imageUri '" + text + "' is not a local file path: " + e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            throw missing("imageUri '" + text + "': no such file");
        }
        return file;
    }

    /**
     * The claim-check policy the worker applies too ({@link ImageUriPolicy}): a located file must lie
     * under a configured root and a URL's host must be allowlisted, else the event is refused before
     * the file is opened. Returns the file to read (its real path), or null for a URL.
     */
    private Path confine(String uri, Path located) throws ImageRejectedException {
        try {
            ImageUriPolicy.Target target = uriPolicy.check(uri);
            return target instanceof ImageUriPolicy.LocalFile file ? file.path() : null;
        } catch (UriNotAllowedException e) {
            throw new ImageRejectedException(RejectReason.URI_NOT_ALLOWED, e.getMessage());
        }
    }

    private static ImageHeader readFileHeader(Path file, ImageEncoding encoding) throws ImageRejectedException {
        try (ImageInputStream input = new FileImageInputStream(file.toFile())) {
            return ImageHeader.read(input, encoding);
        } catch (IOException e) {
            throw missing("imageUri file " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static byte[] inlineBytes(ByteBuffer buffer) {
        return buffer == null || !buffer.hasRemaining() ? null : Buffers.toArray(buffer);
    }

    private static ImageRejectedException missing(String message) {
        return new ImageRejectedException(RejectReason.MISSING_PAYLOAD, message);
    }
}
