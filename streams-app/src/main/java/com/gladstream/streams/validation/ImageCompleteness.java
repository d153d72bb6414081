package com.gladstream.streams.validation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.RejectReason;

/**
 * Structural checks that catch truncated and damaged inline images without decompressing them:
 * every PNG chunk must be whole with a matching CRC up to IEND, a JPEG must end with its EOI
 * marker, a BMP must hold as many bytes as its header promises.
 */
final class ImageCompleteness {

    private static final int PNG_SIGNATURE_LENGTH = 8;
    private static final int BMP_UNCOMPRESSED = 0;
    private static final int BMP_BITFIELDS = 3;

    private ImageCompleteness() {}

    static void check(byte[] bytes, ImageEncoding encoding, ImageHeader header) throws ImageRejectedException {
        switch (encoding) {
            case PNG -> checkPng(bytes);
            case JPEG -> checkJpeg(bytes);
            case BMP -> checkBmp(bytes, header);
            case UNKNOWN -> throw new IllegalArgumentException("UNKNOWN encoding reached the completeness check");
        }
    }

    private static void checkPng(byte[] bytes) throws ImageRejectedException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(PNG_SIGNATURE_LENGTH);
        CRC32 crc = new CRC32();
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
            if (type.equals("IEND")) {
                return;
            }
        }
        throw corrupt("PNG truncated: no IEND chunk in " + bytes.length + " bytes");
    }

    private static void checkJpeg(byte[] bytes) throws ImageRejectedException {
        int n = bytes.length;
        if (n < 4 || (bytes[n - 2] & 0xff) != 0xFF || (bytes[n - 1] & 0xff) != 0xD9) {
            throw corrupt("JPEG truncated: it does not end with the EOI marker FFD9");
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
