package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.actuate.SecretsEndpoint;
import dev.mountedsecrets.actuate.HeapDumpWarning;
import dev.mountedsecrets.actuate.SecretsHealthIndicator;
import dev.mountedsecrets.actuate.SecretsMaskingFilter;
import dev.mountedsecrets.actuate.SecretsMetrics;
import dev.mountedsecrets.actuate.SecretsSanitizingFunction;
import dev.mountedsecrets.reload.SecretsReloader;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.management.HeapDumpWebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Observability without values: masking in {@code /env} and {@code /configprops}, masking of
 * every actuator response (servlet applications), a warning when {@code /heapdump} is exposed, the
 * {@code secrets} endpoint, the {@code secrets} health indicator and metrics.
 */
@AutoConfiguration(after = { MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class })
@ConditionalOnClass(SanitizingFunction.class)
@ConditionalOnBooleanProperty(name = "secrets.enabled", matchIfMissing = true)
public final class MountedSecretsActuatorAutoConfiguration {

	@Bean
	static SecretsSanitizingFunction mountedSecretsSanitizingFunction(MountedSecrets secrets) {
		return new SecretsSanitizingFunction(secrets);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ OncePerRequestFilter.class, Filter.class })
	static class ResponseMaskingConfiguration {

		@Bean
		SecretsMaskingFilter mountedSecretsMaskingFilter(MountedSecrets secrets, Environment environment) {
			return new SecretsMaskingFilter(secrets,
					environment.getProperty("management.endpoints.web.base-path", "/actuator"));
		}

	}

	@Bean
	@ConditionalOnClass(HeapDumpWebEndpoint.class)
	@ConditionalOnAvailableEndpoint(HeapDumpWebEndpoint.class)
	HeapDumpWarning mountedSecretsHeapDumpWarning() {
		return new HeapDumpWarning();
	}

	@Bean
	@ConditionalOnAvailableEndpoint(SecretsEndpoint.class)
	SecretsEndpoint secretsEndpoint(MountedSecrets secrets, ListableBeanFactory beans) {
		return new SecretsEndpoint(secrets, beans);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("secrets")
	static class HealthConfiguration {

		@Bean
		SecretsHealthIndicator secretsHealthIndicator(MountedSecrets secrets) {
			return new SecretsHealthIndicator(secrets);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		SecretsMetrics secretsMetrics(MountedSecrets secrets, ObjectProvider<SecretsReloader> reloader) {
			return new SecretsMetrics(secrets, reloader.getIfAvailable());
		}

	}

}
