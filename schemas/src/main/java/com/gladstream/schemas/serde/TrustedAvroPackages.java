package com.gladstream.schemas.serde;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12 refuses to load generated classes by name unless their package is trusted (normally
 * through {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}). Asking for a serde of a generated class
 * is an explicit statement of trust in its package, so the serde adds that package to Avro's global
 * validator and works whether or not the property is set.
 */
final class TrustedAvroPackages {

    private static final Set<String> PACKAGE_PREFIXES = ConcurrentHashMap.newKeySet();
    private static final ClassSecurityPredicate TRUSTED = type ->
            PACKAGE_PREFIXES.stream().anyMatch(prefix -> type.getName().startsWith(prefix));
    private static ClassSecurityPredicate installed;

    private TrustedAvroPackages() {}

    static void trust(Class<?> generatedClass) {
        PACKAGE_PREFIXES.add(generatedClass.getPackageName() + ".");
        synchronized (TrustedAvroPackages.class) {
            // Someone may have replaced the global validator since; wrap whatever is current.
            if (ClassSecurityValidator.getGlobal() != installed) {
                installed = ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), TRUSTED);
                ClassSecurityValidator.setGlobal(installed);
            }
        }
    }
}
