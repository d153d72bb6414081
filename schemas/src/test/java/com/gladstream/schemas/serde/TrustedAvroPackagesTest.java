package com.gladstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.schemas.ImageEvent;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tests' JVM trusts com.gladstream.schemas by system property; here Avro is put back to its bare default. */
class TrustedAvroPackagesTest {

    private ClassSecurityPredicate saved;

    @BeforeEach
    void forgetTheSystemProperty() {
        saved = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
    }

    @AfterEach
    void restore() {
        ClassSecurityValidator.setGlobal(saved);
    }

    @Test
    void creatingASerdeTrustsTheGeneratedClassesPackage() {
        assertThatThrownBy(() -> ClassSecurityValidator.validate(ImageEvent.class)).isInstanceOf(SecurityException.class);

        AvroSerdes.specific(ImageEvent.class, new InMemoryRegistryClient(1), true);

        assertThatCode(() -> ClassSecurityValidator.validate(ImageEvent.class)).doesNotThrowAnyException();
        assertThatCode(() -> ClassSecurityValidator.validate(com.gladstream.schemas.SampleLabel.class))
                .doesNotThrowAnyException();
    }

    @Test
    void classesOutsideThatPackageStayUntrusted() {
        AvroSerdes.specific(ImageEvent.class, new InMemoryRegistryClient(1), true);

        assertThatThrownBy(() -> ClassSecurityValidator.validate(java.util.ArrayList.class))
                .isInstanceOf(SecurityException.class);
    }
}
