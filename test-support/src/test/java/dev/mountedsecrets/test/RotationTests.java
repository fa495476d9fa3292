package dev.mountedsecrets.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mountedsecrets.reload.SecretsRotatedEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@SpringBootTest(properties = { "secrets.required=api_token", "secrets.reload.enabled=true",
		"secrets.reload.poll-interval=100ms", "secrets.reload.quiet-period=50ms" })
@TestSecret(name = "api_token", value = "first-token")
class RotationTests {

	@Autowired
	Environment environment;

	@Autowired
	RotatedSecrets rotated;

	@Test
	void rotateWhenTheApplicationReloadsReturnsOnceTheNewValueIsInUseAndAnnounced(TestSecretsFolder folder) {
		folder.rotate("api_token", "second-token");
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo("second-token");
		assertThat(this.rotated.secrets).contains("api_token");
		folder.rotate("api_token", "third-token\n");
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo("third-token");
	}

	@Test
	void rotateWhenTheApplicationRefusesTheValueFailsWithItsRule(TestSecretsFolder folder) {
		String before = this.environment.getProperty("secrets.file.api_token");
		assertThatIllegalStateException().isThrownBy(() -> folder.rotate("api_token", "changeme"))
			.withMessageContaining("refused the rotated api_token")
			.withMessageContaining("placeholder")
			.withMessageNotContaining("changeme");
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo(before);
		folder.rotate("api_token", "a-good-token-again");
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo("a-good-token-again");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Listener {

		@Bean
		RotatedSecrets rotatedSecrets() {
			return new RotatedSecrets();
		}

	}

	static class RotatedSecrets {

		final List<String> secrets = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SecretsRotatedEvent event) {
			this.secrets.addAll(event.getSecrets());
		}

	}

}
