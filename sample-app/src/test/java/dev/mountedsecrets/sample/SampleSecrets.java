package dev.mountedsecrets.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.mountedsecrets.test.TestSecret;

/**
 * Every secret the sample requires ({@code secrets.required} in application.yml), as a test
 * declares them: random values, long enough for the keys. A test of the sample that needs no
 * real server carries this one annotation instead of building a folder.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestSecret(name = "postgres_password", random = 24)
@TestSecret(name = "db_password_server", random = 24)
@TestSecret(name = "redis_password", random = 24)
@TestSecret(name = "email_password", random = 24)
@TestSecret(name = "crypto_key", random = 64)
@TestSecret(name = "token_secret_key", random = 64)
@TestSecret(name = "nextauth_secret", random = 64)
@TestSecret(name = "google_oauth_client_id", value = "sample-test-client.apps.googleusercontent.com")
@TestSecret(name = "google_oauth_client_secret", random = 32)
public @interface SampleSecrets {

}
