package dev.mountedsecrets.compat;

import java.nio.file.Path;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFiles;
import dev.mountedsecrets.SecretsPropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secret files become Boot's properties, each with its file as origin, on the Boot version
 * this module is built for.
 */
@ExtendWith(OutputCaptureExtension.class)
class MappingCompatIT {

	private static final String CRYPTO_KEY = "Compat-Crypto-Key-0123456789abcdef0123";

	@TempDir
	Path secrets;

	@Test
	void startWhenBuiltForAVersionRunsThatVersion() {
		assertThat(SpringBootVersion.getVersion()).isEqualTo(System.getProperty("compat.boot.version"));
	}

	@Test
	void startWhenDefaultFilesPresentFeedsMappedPropertiesWithFileOrigins(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", Servers.APP_USER_PASSWORD);
		SecretFiles.write(this.secrets, "redis_password", Servers.REDIS_PASSWORD);
		SecretFiles.write(this.secrets, "email_password", Servers.MAIL_PASSWORD);
		SecretFiles.write(this.secrets, "google_oauth_client_id", "1234-compat.apps.googleusercontent.com");
		SecretFiles.write(this.secrets, "google_oauth_client_secret", "Compat-Google-7d3a90e1");
		SecretFiles.write(this.secrets, "crypto_key", CRYPTO_KEY);
		try (ConfigurableApplicationContext context = CompatApps.run(this.secrets,
				CompatApps.EXCLUDE_DATABASE_AND_REDIS)) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(Servers.APP_USER_PASSWORD);
			assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("app_user");
			assertThat(environment.getProperty("spring.data.redis.password")).isEqualTo(Servers.REDIS_PASSWORD);
			assertThat(environment.getProperty("spring.mail.password")).isEqualTo(Servers.MAIL_PASSWORD);
			assertThat(environment.getProperty("spring.security.oauth2.client.registration.google.client-id"))
				.isEqualTo("1234-compat.apps.googleusercontent.com");
			assertThat(environment.getProperty("secrets.file.crypto_key")).isEqualTo(CRYPTO_KEY);
			@SuppressWarnings("unchecked")
			OriginLookup<String> source = (OriginLookup<String>) environment.getPropertySources()
				.get(SecretsPropertySource.NAME);
			assertThat(source.getOrigin("spring.data.redis.password"))
				.asString()
				.contains(this.secrets.resolve("redis_password").toString());
			assertThat(context.getBean(MountedSecrets.class).inUse().secrets()).hasSize(6);
		}
		// Boot 4 reads both post-processor keys of spring.factories: the folder is still read once.
		assertThat(output.getAll().split("Loaded 6 secret file\\(s\\) from ", -1)).hasSize(2);
	}

}
