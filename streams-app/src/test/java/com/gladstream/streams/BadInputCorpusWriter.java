package com.gladstream.streams;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the bad-input corpus when asked to:
 * {@code mvn -o -pl streams-app -am test -Dtest=BadInputCorpusWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbad-inputs.write=$PWD/streams-app/src/test/resources/bad-inputs}.
 */
class BadInputCorpusWriter {

    @Test
    @EnabledIfSystemProperty(named = "bad-inputs.write", matches = ".+")
    void writeTheCorpus() throws Exception {
        BadInputCorpus.write(Path.of(System.getProperty("bad-inputs.write")));
    }
}
