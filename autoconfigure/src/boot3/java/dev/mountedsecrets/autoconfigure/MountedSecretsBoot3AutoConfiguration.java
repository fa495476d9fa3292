package dev.mountedsecrets.autoconfigure;

import java.util.Collection;

import javax.sql.DataSource;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretsProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mountedsecrets.actuate.Boot3SecretsHealthIndicator;
import dev.mountedsecrets.actuate.ResultTrees;
import dev.mountedsecrets.jdbc.DataSourceRoleCheck;
import dev.mountedsecrets.reload.RotatingClientRegistrations;
import dev.mountedsecrets.reload.RotatingRedisCredentials;
import dev.mountedsecrets.reload.SecretsRotatedEvent;
import io.lettuce.core.ClientOptions.ReauthenticateBehavior;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.jackson.EndpointObjectMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.autoconfigure.security.oauth2.client.OAuth2ClientProperties;
import org.springframework.boot.autoconfigure.security.oauth2.client.OAuth2ClientPropertiesMapper;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * The glue whose Boot API moved in Boot 4, in Boot 3.5's packages: the {@code secrets}
 * health indicator, the trees of actuator results (Jackson 2), the PostgreSQL role check, and
 * the Lettuce and OAuth2 client rotation.
 * Each part is chosen by a Boot 3.5 class being on the class path, so on Boot 4 none of it
 * loads, and Boot 4's versions of the same parts sit in the other auto-configurations.
 */
@AutoConfiguration(
		after = { MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class,
				MountedSecretsActuatorAutoConfiguration.class },
		afterName = { "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
				"org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration",
				"org.springframework.boot.autoconfigure.security.oauth2.client.OAuth2ClientAutoConfiguration",
				"org.springframework.boot.autoconfigure.security.oauth2.client.servlet.OAuth2ClientAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "secrets.enabled", matchIfMissing = true)
@ConditionalOnBean(MountedSecrets.class)
public final class MountedSecretsBoot3AutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.health.HealthIndicator",
			"org.springframework.boot.actuate.endpoint.SanitizingFunction" })
	@ConditionalOnEnabledHealthIndicator("secrets")
	static class HealthConfiguration {

		@Bean
		Boot3SecretsHealthIndicator secretsHealthIndicator(MountedSecrets secrets) {
			return new Boot3SecretsHealthIndicator(secrets);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.jackson.EndpointObjectMapper",
			"com.fasterxml.jackson.databind.ObjectMapper" })
	static class ResultTreesConfiguration {

		@Bean
		ResultTrees mountedSecretsResultTrees(ObjectProvider<EndpointObjectMapper> endpointMapper,
				ObjectProvider<ObjectMapper> mapper, Environment environment, ListableBeanFactory beans) {
			return new Jackson2ResultTrees(endpointMapper, mapper, environment, beans);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails")
	@ConditionalOnSingleCandidate(DataSource.class)
	static class JdbcConfiguration {

		/**
		 * Checks the application's DataSource as soon as it is initialised, before any bean
		 * that uses it exists; static, with no dependencies, as a bean post-processor must be.
		 */
		@Bean
		static DataSourceRoleCheck mountedSecretsDataSourceRoleCheck() {
			return new DataSourceRoleCheck();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("secrets.reload.enabled")
	@ConditionalOnClass(name = { "org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory",
			"org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer" })
	static class RedisReloadConfiguration {

		@Bean
		RotatingRedisCredentials rotatingRedisCredentials(Environment environment) {
			return new RotatingRedisCredentials(environment);
		}

		@Bean
		LettuceClientConfigurationBuilderCustomizer rotatingRedisCredentialsCustomizer(
				RotatingRedisCredentials credentials) {
			return (builder) -> builder.redisCredentialsProviderFactory(credentials);
		}

		@Bean
		LettuceClientOptionsBuilderCustomizer reauthenticateOnNewCredentialsCustomizer() {
			return (builder) -> builder.reauthenticateBehavior(ReauthenticateBehavior.ON_NEW_CREDENTIALS);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("secrets.reload.enabled")
	@ConditionalOnClass(name = { "org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository",
			"org.springframework.boot.autoconfigure.security.oauth2.client.OAuth2ClientProperties" })
	static class OAuth2ClientReloadConfiguration {

		@Bean
		static BeanPostProcessor rotatingClientRegistrationsPostProcessor(Environment environment) {
			return ClientRegistrationsRotation.wrapper(() -> fromProperties(environment));
		}

		private static Collection<ClientRegistration> fromProperties(Environment environment) {
			OAuth2ClientProperties properties = Binder.get(environment)
				.bindOrCreate(RotatingClientRegistrations.PREFIX, OAuth2ClientProperties.class);
			properties.validate();
			return new OAuth2ClientPropertiesMapper(properties).asClientRegistrations().values();
		}

		@Bean
		ApplicationListener<SecretsRotatedEvent> rotatingClientRegistrationsListener(
				ObjectProvider<ClientRegistrationRepository> registrations) {
			return ClientRegistrationsRotation.refresher(registrations);
		}

	}

}
