package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.actuate.SecretsEndpoint;
import dev.mountedsecrets.actuate.HeapDumpWarning;
import dev.mountedsecrets.actuate.SecretsHealthIndicator;
import dev.mountedsecrets.actuate.ResultTrees;
import dev.mountedsecrets.actuate.SecretsMaskingAdvisor;
import dev.mountedsecrets.actuate.SecretsMetrics;
import dev.mountedsecrets.actuate.SecretsSanitizingFunction;
import dev.mountedsecrets.reload.SecretsReloader;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.management.HeapDumpWebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Observability without values: masking in {@code /env} and {@code /configprops}, masking of
 * the result of every actuator operation (every endpoint, every transport), a warning when
 * {@code /heapdump} is exposed, the {@code secrets} endpoint, the {@code secrets} health
 * indicator and metrics.
 */
@AutoConfiguration(after = { MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class })
@ConditionalOnClass(SanitizingFunction.class)
@ConditionalOnBooleanProperty(name = "secrets.enabled", matchIfMissing = true)
public final class MountedSecretsActuatorAutoConfiguration {

	@Bean
	static SecretsSanitizingFunction mountedSecretsSanitizingFunction(MountedSecrets secrets) {
		return new SecretsSanitizingFunction(secrets);
	}

	@Bean
	static SecretsMaskingAdvisor mountedSecretsMaskingAdvisor(MountedSecrets secrets,
			ObjectProvider<ResultTrees> trees) {
		return new SecretsMaskingAdvisor(secrets, trees::getIfAvailable);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "tools.jackson.databind.json.JsonMapper",
			"org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper" })
	static class JacksonResultTreesConfiguration {

		@Bean
		ResultTrees mountedSecretsResultTrees(ObjectProvider<EndpointJsonMapper> endpointMapper,
				ObjectProvider<JsonMapper> mapper, Environment environment, ListableBeanFactory beans) {
			return new JacksonResultTrees(endpointMapper, mapper, environment, beans);
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
