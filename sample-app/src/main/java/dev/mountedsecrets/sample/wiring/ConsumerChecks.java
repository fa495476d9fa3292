package dev.mountedsecrets.sample.wiring;

import java.util.List;
import java.util.function.Supplier;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.sample.notes.FieldCipher;
import dev.mountedsecrets.sample.web.TokenIssuer;
import jakarta.mail.MessagingException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The live checks behind {@code /actuator/wiring}, one per consumer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnAvailableEndpoint(WiringEndpoint.class)
class ConsumerChecks {

	@Bean
	WiringEndpoint wiringEndpoint(ObjectProvider<MountedSecrets> secrets, List<ConsumerCheck> checks) {
		return new WiringEndpoint(secrets, checks);
	}

	@Bean
	ConsumerCheck databaseCheck(JdbcClient jdbc) {
		return check(List.of("db_password_server", "postgres_password"), "PostgreSQL login and row-level security",
				() -> {
					String user = jdbc.sql("SELECT current_user").query(String.class).single();
					Boolean forced = jdbc
						.sql("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = 'notes'")
						.query(Boolean.class)
						.single();
					Boolean privileged = jdbc
						.sql("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
						.query(Boolean.class)
						.single();
					boolean ok = "app_user".equals(user) && Boolean.TRUE.equals(forced)
							&& Boolean.FALSE.equals(privileged);
					return new ConsumerCheck.Result(ok, "PostgreSQL login and row-level security",
							"current_user=" + user + ", notes forced RLS=" + forced + ", can bypass RLS=" + privileged
									+ ", migrations by postgres");
				});
	}

	@Bean
	ConsumerCheck redisCheck(StringRedisTemplate redis) {
		return check(List.of("redis_password"), "Redis PING", () -> {
			String pong = redis.execute((RedisCallback<String>) (connection) -> connection.ping());
			return new ConsumerCheck.Result("PONG".equals(pong), "Redis PING", "reply " + pong);
		});
	}

	@Bean
	ConsumerCheck mailCheck(JavaMailSenderImpl mailSender) {
		return check(List.of("email_password"), "SMTP connect and login", () -> {
			try {
				mailSender.testConnection();
				return new ConsumerCheck.Result(true, "SMTP connect and login",
						"logged in to " + mailSender.getHost() + ":" + mailSender.getPort());
			}
			catch (MessagingException ex) {
				return new ConsumerCheck.Result(false, "SMTP connect and login", ex.getClass().getSimpleName());
			}
		});
	}

	@Bean
	ConsumerCheck oauth2Check(ClientRegistrationRepository registrations) {
		return check(List.of("google_oauth_client_id", "google_oauth_client_secret"), "OAuth2 registration 'google'",
				() -> {
					ClientRegistration google = registrations.findByRegistrationId("google");
					boolean ok = google != null && !google.getClientId().isEmpty()
							&& !google.getClientSecret().isEmpty();
					return new ConsumerCheck.Result(ok, "OAuth2 registration 'google'",
							(google != null) ? "authorization at " + google.getProviderDetails().getAuthorizationUri()
									: "missing");
				});
	}

	@Bean
	ConsumerCheck cryptoCheck(FieldCipher cipher) {
		return check(List.of("crypto_key"), "AES-GCM round trip", () -> {
			boolean ok = "probe".equals(cipher.decrypt(cipher.encrypt("probe")));
			return new ConsumerCheck.Result(ok, "AES-GCM round trip", "key derived from crypto_key with HKDF-SHA256");
		});
	}

	@Bean
	ConsumerCheck tokenCheck(TokenIssuer issuer, JwtDecoder decoder) {
		return check(List.of("token_secret_key"), "HS256 sign and verify", () -> {
			Jwt token = decoder.decode(issuer.issue("wiring-probe", "probe", List.of()));
			return new ConsumerCheck.Result("wiring-probe".equals(token.getSubject()), "HS256 sign and verify",
					"token signed and verified");
		});
	}

	private static ConsumerCheck check(List<String> secrets, String what, Supplier<ConsumerCheck.Result> probe) {
		return new ConsumerCheck() {

			@Override
			public List<String> secrets() {
				return secrets;
			}

			@Override
			public Result run() {
				try {
					return probe.get();
				}
				catch (RuntimeException ex) {
					return new Result(false, what, "failed: " + ex.getClass().getSimpleName());
				}
			}

		};
	}

}
