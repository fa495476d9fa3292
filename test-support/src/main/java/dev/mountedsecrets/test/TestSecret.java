package dev.mountedsecrets.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One secret file of the test's private secrets folder. The test class (or an enclosing class,
 * a superclass, or an annotation it carries) declares its secrets; the application context of
 * the test then reads them from a folder of its own, created with the permissions the starter
 * requires (folder 0700, files 0600), with {@code secrets.dir} pointing at it, and deleted when
 * the context closes. Contexts with different secrets are different cached contexts.
 * <p>
 * Give exactly one of {@link #value()}, {@link #random()} and {@link #resource()}:
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;TestSecret(name = "db_password_server", value = "s3cret-for-tests")
 * &#64;TestSecret(name = "crypto_key", random = 64)
 * &#64;TestSecret(name = "tls_key", resource = "classpath:test-keys/tls_key.txt")
 * class MyApplicationTests { ... }
 * </pre>
 *
 * @see TestSecretsFolder
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(TestSecrets.class)
@ExtendWith(TestSecretsExtension.class)
public @interface TestSecret {

	/**
	 * Name of the secret file, such as {@code db_password_server}.
	 * @return the file name
	 */
	String name();

	/**
	 * Content of the file.
	 * @return the value, empty when {@link #random()} or {@link #resource()} is given
	 */
	String value() default "";

	/**
	 * Length of a random value of letters and digits, generated once for each distinct set of
	 * declarations, so that a cached context keeps matching its folder.
	 * @return the number of characters, 0 for none
	 */
	int random() default 0;

	/**
	 * Location of a resource whose bytes become the file, such as
	 * {@code classpath:test-keys/tls_key.txt}.
	 * @return the resource location, empty for none
	 */
	String resource() default "";

}
