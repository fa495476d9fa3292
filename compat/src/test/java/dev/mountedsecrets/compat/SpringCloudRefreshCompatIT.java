package dev.mountedsecrets.compat;

import java.nio.file.Path;
import java.time.Duration;

import dev.mountedsecrets.SecretFiles;
import dev.mountedsecrets.reload.SecretsReloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the Spring Cloud line of this Boot version on the class path (2025.0 on Boot 3.5,
 * 2025.1 on Boot 4), a rotation reaches the application's own
 * {@code @ConfigurationProperties} class: the starter publishes Spring Cloud's
 * {@code EnvironmentChangeEvent} and Spring Cloud's rebinder binds the bean again. Everything
 * is chosen by auto-configuration, as in a real application.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringCloudRefreshCompatIT {

	private static final String OLD_KEY = "Compat-Cloud-Key-Old-5d2e8a91c4b7f3";

	private static final String NEW_KEY = "Compat-Cloud-Key-New-a07c3e6f1b9d42";

	@TempDir
	Path secrets;

	@Test
	void rotateWhenSpringCloudPresentRebindsApplicationProperties(CapturedOutput output) {
		SecretFiles.write(this.secrets, "crypto_key", OLD_KEY);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RefreshApplication.class)
			.web(WebApplicationType.NONE)
			.run("--secrets.dir=" + this.secrets, CompatApps.EXCLUDE_DATABASE_AND_REDIS,
					"--secrets.reload.enabled=true", "--secrets.reload.quiet-period=200ms",
					"--secrets.reload.poll-interval=100ms", "--app.key=${secrets.file.crypto_key}")) {
			KeyProperties app = context.getBean(KeyProperties.class);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			assertThat(app.getKey()).isEqualTo(OLD_KEY);
			assertThat(reloader.rotations()).isZero();
			SecretFiles.write(this.secrets, "crypto_key", NEW_KEY);
			await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == 1);
			assertThat(app.getKey()).isEqualTo(NEW_KEY);
		}
		assertThat(output.getAll()).doesNotContain(OLD_KEY).doesNotContain(NEW_KEY);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableConfigurationProperties(KeyProperties.class)
	static class RefreshApplication {

	}

	@ConfigurationProperties("app")
	static class KeyProperties {

		private String key = "";

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

	}

}
