package dev.mountedsecrets.autoconfigure;

import java.util.Collection;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.reload.HikariCredentialsUpdater;
import dev.mountedsecrets.reload.MailCredentialsUpdater;
import dev.mountedsecrets.reload.RotatingClientRegistrations;
import dev.mountedsecrets.reload.RotatingRedisCredentials;
import dev.mountedsecrets.reload.SecretsReloader;
import dev.mountedsecrets.reload.SecretsRotatedEvent;
import io.lettuce.core.ClientOptions.ReauthenticateBehavior;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientPropertiesMapper;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * Rotation without restart ({@code secrets.reload.enabled=true}): the folder watcher, and
 * the updaters that hand new secrets to HikariCP, Lettuce, JavaMail and the OAuth2 client.
 * The Lettuce and OAuth2 glue here is Boot 4's; Boot 3.5's is in
 * {@code MountedSecretsBoot3AutoConfiguration}.
 */
@AutoConfiguration(after = MountedSecretsAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration",
				"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
				"org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
				"org.springframework.boot.autoconfigure.security.oauth2.client.OAuth2ClientAutoConfiguration",
				"org.springframework.boot.autoconfigure.security.oauth2.client.servlet.OAuth2ClientAutoConfiguration" })
@ConditionalOnBooleanProperty("secrets.reload.enabled")
@ConditionalOnBean(MountedSecrets.class)
public final class MountedSecretsReloadAutoConfiguration {

	@Bean
	SecretsReloader secretsReloader(MountedSecrets secrets, ApplicationEventPublisher publisher) {
		return new SecretsReloader(secrets, publisher);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HikariDataSource.class)
	@ConditionalOnBean(DataSource.class)
	static class HikariConfiguration {

		@Bean
		HikariCredentialsUpdater hikariCredentialsUpdater(DataSource dataSource, Environment environment) {
			return new HikariCredentialsUpdater(dataSource, environment);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JavaMailSenderImpl.class)
	@ConditionalOnBean(JavaMailSenderImpl.class)
	static class MailConfiguration {

		@Bean
		MailCredentialsUpdater mailCredentialsUpdater(JavaMailSenderImpl mailSender, Environment environment) {
			return new MailCredentialsUpdater(mailSender, environment);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = { RedisCredentialsProviderFactory.class, LettuceClientConfigurationBuilderCustomizer.class },
			name = "io.lettuce.core.RedisCredentialsProvider")
	static class RedisConfiguration {

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
	@ConditionalOnClass({ InMemoryClientRegistrationRepository.class, OAuth2ClientProperties.class })
	static class OAuth2ClientConfiguration {

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
