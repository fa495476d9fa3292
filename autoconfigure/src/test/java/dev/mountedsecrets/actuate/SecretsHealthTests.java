package dev.mountedsecrets.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretsProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code secrets} health every Boot generation's indicator shows ({@link SecretsHealth}):
 * the Boot 4 indicator here, the Boot 3.5 one hands the same record to its own API.
 */
class SecretsHealthTests {

	private static final String VALUE = "Health-Value-7b0e4c2f9a";

	@TempDir
	Path dir;

	@Test
	void healthWhenEverySecretIsGoodIsUpNamingTheFolder() throws IOException {
		Files.writeString(this.dir.resolve("crypto_key"), VALUE + "-and-long-enough-for-its-rule");
		SecretsHealth health = SecretsHealth.of(secrets(List.of("crypto_key")));
		assertThat(health.up()).isTrue();
		assertThat(health.status()).isEqualTo("UP");
		assertThat(health.details()).containsEntry("dir", this.dir.toString())
			.containsEntry("secrets", 1)
			.doesNotContainKeys("problems", "stuckReads");
	}

	@Test
	void healthWhenARequiredSecretIsMissingIsDownNamingItAndTheIndicatorSaysTheSame() {
		MountedSecrets secrets = secrets(List.of("redis_password"));
		SecretsHealth health = SecretsHealth.of(secrets);
		assertThat(health.status()).isEqualTo("DOWN");
		assertThat(health.details()).containsKey("problems");
		assertThat(String.valueOf(health.details().get("problems"))).contains("redis_password");
		Health shown = new SecretsHealthIndicator(secrets).health();
		assertThat(shown.getStatus().getCode()).isEqualTo("DOWN");
		assertThat(shown.getDetails()).isEqualTo(health.details());
	}

	private MountedSecrets secrets(List<String> required) {
		SecretsProperties properties = new SecretsProperties();
		properties.setDir(this.dir);
		properties.setRequired(required);
		return new MountedSecrets(new StandardEnvironment(), properties);
	}

}
