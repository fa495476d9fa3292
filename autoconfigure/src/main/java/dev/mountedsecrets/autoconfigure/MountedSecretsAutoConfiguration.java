package dev.mountedsecrets.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Binds the {@code secrets.*} settings as a bean for the technology-specific
 * auto-configurations. The secrets themselves are read earlier, by
 * {@link dev.mountedsecrets.SecretsEnvironmentPostProcessor}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "secrets.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SecretsProperties.class)
public final class MountedSecretsAutoConfiguration {

}
