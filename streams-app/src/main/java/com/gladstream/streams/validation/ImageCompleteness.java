package com.gladstream.streams.validation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.RejectReason;

/**
 * Structural checks that catch truncated, damaged and undecodable inline images before a worker
 * tries to decode them:
 *
 * <ul>
 *   <li>PNG: every chunk whole with a matching CRC up to IEND, at least one IDAT, and the IDAT
 *       stream a complete zlib stream that inflates to exactly the bytes the header's size, depth,
 *       colour type and interlacing call for (inflated into a scratch buffer and discarded; the
 *       size cap has bounded it already). Valid CRCs say nothing about the zlib stream inside.</li>
 *   <li>JPEG: ends with EOI, and its frame (SOF) is baseline, extended or progressive Huffman
 *       coding with 1 or 3 components: arithmetic-coded, lossless and hierarchical JPEGs and
 *       4-component (CMYK, YCCK) ones are {@code UNSUPPORTED_ENCODING}, since the JDK decoder
 *       reads them without an error but not into the right pixels.</li>
 *   <li>BMP: as many bytes as its header promises.</li>
 * </ul>
 */
final class ImageCompleteness {

    private static final int PNG_SIGNATURE_LENGTH = 8;
    private static final int BMP_UNCOMPRESSED = 0;
    private static final int BMP_BITFIELDS = 3;
    private static final int[][] ADAM7_PASSES = {
        {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private ImageCompleteness() {}

    /** What can be checked before the header is read: a JPEG's coding process, which the JDK reader may refuse. */
    static void checkCoding(byte[] bytes, ImageEncoding encoding) throws ImageRejectedException {
        if (encoding == ImageEncoding.JPEG) {
            checkJpegFrame(bytes);
        }
    }

    static void check(byte[] bytes, ImageEncoding encoding, ImageHeader header) throws ImageRejectedException {
        switch (encoding) {
            case PNG -> checkPng(bytes);
            case JPEG -> checkJpegEnd(bytes);
            case BMP -> checkBmp(bytes, header);
            case UNKNOWN -> throw new IllegalArgumentException("UNKNOWN encoding reached the completeness check");
        }
    }

    private static void checkPng(byte[] bytes) throws ImageRejectedException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(PNG_SIGNATURE_LENGTH);
        CRC32 crc = new CRC32();
        Inflater inflater = new Inflater();
        long inflated = 0;
        long expected = -1;
        boolean sawImageData = false;
        try {
            while (buffer.remaining() >= 12) {
                long length = Integer.toUnsignedLong(buffer.getInt());
                int typeStart = buffer.position();
                if (length > buffer.remaining() - 8) {
                    throw corrupt("PNG truncated inside a " + length + "-byte chunk at offset " + (typeStart - 4));
                }
                String type = new String(bytes, typeStart, 4, StandardCharsets.US_ASCII);
                crc.reset();
                crc.update(bytes, typeStart, 4 + (int) length);
                buffer.position(typeStart + 4 + (int) length);
                if ((int) crc.getValue() != buffer.getInt()) {
                    throw corrupt("PNG chunk " + type + " at offset " + (typeStart - 4) + " fails its CRC check");
                }
                switch (type) {
                    case "IHDR" -> expected = pngImageDataBytes(ByteBuffer.wrap(bytes, typeStart + 4, (int) length));
                    case "IDAT" -> {
                        sawImageData = true;
                        inflater.setInput(bytes, typeStart + 4, (int) length);
                        inflated += inflate(inflater, expected - inflated);
                    }
                    case "IEND" -> {
                        if (!sawImageData) {
                            throw corrupt("PNG has no IDAT chunk: no image data");
                        }
                        if (!inflater.finished() || inflated != expected) {
                            throw corrupt("PNG image data is a " + (inflater.finished() ? "" : "short ")
                                    + "zlib stream of " + inflated + " bytes; the header calls for " + expected);
                        }
                        return;
                    }
                    default -> { }
                }
            }
            throw corrupt("PNG truncated: no IEND chunk in " + bytes.length + " bytes");
        } finally {
            inflater.end();
        }
    }

    /** Inflates what the inflater holds, failing once it yields more than {@code room} bytes. */
    private static long inflate(Inflater inflater, long room) throws ImageRejectedException {
        byte[] scratch = new byte[64 * 1024];
        long produced = 0;
        try {
            while (!inflater.finished() && !inflater.needsInput()) {
                int n = inflater.inflate(scratch);
                produced += n;
                if (produced > room) {
                    throw corrupt("PNG image data inflates to more bytes than its header calls for");
                }
                if (n == 0 && inflater.needsDictionary()) {
                    throw corrupt("PNG image data asks for a preset zlib dictionary, which PNG forbids");
                }
            }
        } catch (DataFormatException e) {
            throw corrupt("PNG image data is not a valid zlib stream: " + e.getMessage());
        }
        return produced;
    }

    /** Filtered scanline bytes an IHDR calls for: a filter byte plus the packed pixels of every row of every pass. */
    private static long pngImageDataBytes(ByteBuffer ihdr) throws ImageRejectedException {
        if (ihdr.remaining() != 13) {
            throw corrupt("PNG IHDR chunk has " + ihdr.remaining() + " bytes, not 13");
        }
        long width = Integer.toUnsignedLong(ihdr.getInt());
        long height = Integer.toUnsignedLong(ihdr.getInt());
        int bitDepth = ihdr.get() & 0xff;
        int colourType = ihdr.get() & 0xff;
        ihdr.get(); // compression method
        ihdr.get(); // filter method
        int interlace = ihdr.get() & 0xff;
        int channels = switch (colourType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw corrupt("PNG colour type " + colourType + " does not exist");
        };
        long bitsPerPixel = (long) bitDepth * channels;
        if (interlace == 0) {
            return height * (1 + (width * bitsPerPixel + 7) / 8);
        }
        long total = 0;
        for (int[] pass : ADAM7_PASSES) {
            long passWidth = width <= pass[0] ? 0 : (width - pass[0] + pass[2] - 1) / pass[2];
            long passHeight = height <= pass[1] ? 0 : (height - pass[1] + pass[3] - 1) / pass[3];
            if (passWidth > 0) {
                total += passHeight * (1 + (passWidth * bitsPerPixel + 7) / 8);
            }
        }
        return total;
    }

    private static void checkJpegEnd(byte[] bytes) throws ImageRejectedException {
        int n = bytes.length;
        if (n < 4 || (bytes[n - 2] & 0xff) != 0xFF || (bytes[n - 1] & 0xff) != 0xD9) {
            throw corrupt("JPEG truncated: it does not end with the EOI marker FFD9");
        }
    }

    /** Walks the marker segments from SOI to the first frame header and checks its coding process. */
    private static void checkJpegFrame(byte[] bytes) throws ImageRejectedException {
        int n = bytes.length;
        if (n < 4 || (bytes[0] & 0xff) != 0xFF || (bytes[1] & 0xff) != 0xD8) {
            throw corrupt("JPEG does not start with the SOI marker FFD8");
        }
        int at = 2;
        while (at + 4 <= n) {
            if ((bytes[at] & 0xff) != 0xFF) {
                throw corrupt("JPEG has no marker at offset " + at + " before its frame header");
            }
            int marker = bytes[at + 1] & 0xff;
            if (marker == 0xFF) {
                at++;
                continue;
            }
            int length = ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                checkJpegFrameHeader(bytes, at, marker, length);
                return;
            }
            if (marker == 0xDA || marker == 0xD9 || length < 2) {
                break;
            }
            at += 2 + length;
        }
        throw corrupt("JPEG has no frame header (SOF) before its scan data");
    }

    private static void checkJpegFrameHeader(byte[] bytes, int at, int marker, int length) throws ImageRejectedException {
        if (marker > 0xC2) {
            String process = marker == 0xC3 ? "lossless" : marker >= 0xC9 ? "arithmetic-coded" : "hierarchical";
            throw new ImageRejectedException(RejectReason.UNSUPPORTED_ENCODING, String.format(
                    "%s JPEG (frame marker FF%02X): only baseline, extended and progressive Huffman JPEGs are decoded",
                    process, marker));
        }
        if (length < 8 || at + 9 >= bytes.length) {
            throw corrupt("JPEG frame header is truncated");
        }
        int components = bytes[at + 9] & 0xff;
        if (components != 1 && components != 3) {
            throw new ImageRejectedException(RejectReason.UNSUPPORTED_ENCODING, "JPEG with " + components
                    + " colour components" + (components == 4 ? " (CMYK or YCCK)" : "")
                    + ": only greyscale and 3-component colour JPEGs are decoded");
        }
    }

    private static void checkBmp(byte[] bytes, ImageHeader header) throws ImageRejectedException {
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long declaredFileSize = Integer.toUnsignedLong(le.getInt(2));
        long pixelDataOffset = Integer.toUnsignedLong(le.getInt(10));
        int dibHeaderSize = le.getInt(14);
        // OS/2 core headers (12 bytes) keep the bit count at 24 and never compress.
        int bitsPerPixel = dibHeaderSize >= 40 ? le.getShort(28) : le.getShort(24);
        int compression = dibHeaderSize >= 40 ? le.getInt(30) : BMP_UNCOMPRESSED;
        long required;
        if (compression == BMP_UNCOMPRESSED || compression == BMP_BITFIELDS) {
            long rowBytes = ((long) bitsPerPixel * header.width() + 31) / 32 * 4;
            required = pixelDataOffset + rowBytes * header.height();
        } else {
            required = declaredFileSize;
        }
        if (bytes.length < required) {
            throw corrupt("BMP truncated: " + bytes.length + " bytes, its header needs " + required);
        }
    }

    private static ImageRejectedException corrupt(String message) {
        return new ImageRejectedException(RejectReason.CORRUPT_IMAGE, message);
    }
}
