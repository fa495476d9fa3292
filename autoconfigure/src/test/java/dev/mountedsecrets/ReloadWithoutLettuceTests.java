package dev.mountedsecrets;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.reload.RotatingRedisCredentials;
import dev.mountedsecrets.reload.SecretsReloader;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Data Redis without Lettuce (an application on Jedis, or a trimmed classpath such as
 * {@link SystemdCredentialsIT}'s): rotation starts, without the Lettuce credentials provider.
 */
class ReloadWithoutLettuceTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class))
		.withPropertyValues("secrets.reload.enabled=true");

	@Test
	void reloadWhenLettuceAbsentStartsWithoutRedisCredentials() {
		this.runner.withClassLoader(new FilteredClassLoader("io.lettuce"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SecretsReloader.class)
				.doesNotHaveBean(RotatingRedisCredentials.class));
	}

	@Test
	void reloadWhenLettucePresentRotatesRedisCredentials() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(RotatingRedisCredentials.class));
	}

}
