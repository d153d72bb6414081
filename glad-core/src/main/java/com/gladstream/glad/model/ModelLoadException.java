package com.gladstream.glad.model;

/** A model directory that cannot be used; the message names the file and what is wrong with it. */
public class ModelLoadException extends Exception {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
