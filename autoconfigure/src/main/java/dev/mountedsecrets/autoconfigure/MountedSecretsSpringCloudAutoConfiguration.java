package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.reload.EnvironmentChangePublisher;
import dev.mountedsecrets.reload.SecretsReloader;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Cloud Context on the classpath and rotation on, a rotation also publishes
 * Spring Cloud's {@link EnvironmentChangeEvent}, so {@code @ConfigurationProperties} beans
 * rebind. Without Spring Cloud, nothing of this exists.
 */
@AutoConfiguration(after = MountedSecretsReloadAutoConfiguration.class)
@ConditionalOnClass(EnvironmentChangeEvent.class)
@ConditionalOnBean(SecretsReloader.class)
public final class MountedSecretsSpringCloudAutoConfiguration {

	@Bean
	EnvironmentChangePublisher mountedSecretsEnvironmentChangePublisher(ApplicationContext context) {
		return new EnvironmentChangePublisher(context);
	}

}
