/**
 * Test support: a private secrets folder for {@code @SpringBootTest} and the test slices,
 * declared with {@link dev.mountedsecrets.test.TestSecret}, and {@link dev.mountedsecrets.test.TestSecretsFolder}
 * to rotate a secret during a test.
 */
@NullMarked
package dev.mountedsecrets.test;

import org.jspecify.annotations.NullMarked;
