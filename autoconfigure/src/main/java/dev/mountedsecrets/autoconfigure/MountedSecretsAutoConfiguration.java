package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.MountedSecrets;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Binds the {@code secrets.*} settings and exposes the secrets in use as a
 * {@link MountedSecrets} bean. The secrets themselves are read earlier, by
 * {@link dev.mountedsecrets.SecretsEnvironmentPostProcessor}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "secrets.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SecretsProperties.class)
public final class MountedSecretsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MountedSecrets mountedSecrets(ConfigurableEnvironment environment, SecretsProperties properties) {
		return new MountedSecrets(environment, properties);
	}

}
