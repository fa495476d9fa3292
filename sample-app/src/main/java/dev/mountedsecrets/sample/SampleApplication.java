package dev.mountedsecrets.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A multi-tenant notes service whose every secret is a mounted file: the database (two
 * roles), Redis, SMTP, Google login, the field-encryption key and the token-signing key.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
