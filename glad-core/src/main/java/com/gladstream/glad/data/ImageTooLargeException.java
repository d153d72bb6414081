package com.gladstream.glad.data;

/** An image whose header declares more pixels than the cap allows; nothing of it was decoded. */
public final class ImageTooLargeException extends DataException {
    public ImageTooLargeException(String message) {
        super(message);
    }
}
