package dev.mountedsecrets.compat;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.compat.app.CompatApplication;
import dev.mountedsecrets.test.TestSecret;
import dev.mountedsecrets.test.TestSecretsFolder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test support ({@code mounted-secrets-spring-boot-test}) on this generation: a
 * {@code @SpringBootTest} whose required secrets are declared, and a rotation it waits for.
 */
@SpringBootTest(classes = CompatApplication.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.autoconfigure.exclude=" + TestSupportCompatIT.NO_DATABASE_NOR_REDIS,
				"secrets.required=api_token,crypto_key", "secrets.reload.enabled=true",
				"secrets.reload.poll-interval=100ms", "secrets.reload.quiet-period=50ms" })
@TestSecret(name = "api_token", value = "compat-token-1")
@TestSecret(name = "crypto_key", random = 48)
class TestSupportCompatIT {

	static final String NO_DATABASE_NOR_REDIS = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration";

	@Autowired
	Environment environment;

	@Autowired
	MountedSecrets secrets;

	@Test
	void startWhenRequiredSecretsAreDeclaredServesThemFromAPrivateFolder(TestSecretsFolder folder) throws Exception {
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo("compat-token-1");
		assertThat(this.environment.getProperty("secrets.file.crypto_key")).hasSize(48);
		assertThat(this.secrets.properties().getDir()).isEqualTo(folder.path());
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.path()))).isEqualTo("rwx------");
	}

	@Test
	@DirtiesContext
	void rotateWhenReloadIsOnReturnsOnceTheApplicationUsesTheNewValue(TestSecretsFolder folder) {
		folder.rotate("api_token", "compat-token-2");
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo("compat-token-2");
	}

}
