package dev.mountedsecrets.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secret files of the test's private secrets folder: holds several {@link TestSecret}s.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestSecretsExtension.class)
public @interface TestSecrets {

	/**
	 * The secrets.
	 * @return one entry per file
	 */
	TestSecret[] value();

}
