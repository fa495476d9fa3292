package dev.mountedsecrets;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.reload.SecretsReloader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import dev.mountedsecrets.jdbc.DatabaseLoginException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The leak matrix, in one run. PostgreSQL, Redis, an SMTP server and an OAuth2 authorization
 * server, all real, on loopback; one application wired to all four by the starter, at root
 * level TRACE, with every actuator endpoint exposed and every value shown. The run goes through
 * start-up, a use of each server, two rotations (each server changed first, then the files),
 * every endpoint after each phase, a wrong secret refused by each server, and a failed start
 * of each kind. Then everything the run printed, every response and every failure message is
 * searched for every secret it used, in clear, Base64, URL-encoded and hex form: zero hits.
 * <p>
 * The servers share this JVM only for the test, and two of them log what they receive
 * (GreenMail the AUTH exchange, the authorization server's Tomcat the request headers): those
 * two server-side categories stay at INFO; every logger of the application is at TRACE.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeakMatrixIT {

	private static final String ADMIN = "Matrix-Pg-Admin-5e0c7b21";

	private static final List<String> APP = List.of("Matrix-Pg-App-1-a83f0c", "Matrix-Pg-App-2-4d19e7",
			"Matrix-Pg-App-3-c06b52");

	private static final List<String> REDIS = List.of("Matrix-Redis-1-9b2e44", "Matrix-Redis-2-17c0fd",
			"Matrix-Redis-3-e5a938");

	private static final List<String> MAIL = List.of("Matrix-Mail-1-3f8d61", "Matrix-Mail-2-b0427c",
			"Matrix-Mail-3-6ce915");

	private static final List<String> CLIENT = List.of("Matrix-Client-1-70e4ab", "Matrix-Client-2-d2953f",
			"Matrix-Client-3-48b1c6");

	private static final List<String> CRYPTO = List.of("Matrix-Crypto-1-0f6a2d95c3-71be04d2a9",
			"Matrix-Crypto-2-8e1b74d0a6-c35f0a19e7", "Matrix-Crypto-3-c9d35f1e72-4a08d6bc13");

	private static final String TOKEN_KEY = "Matrix-Token-Key-61ad0e93f7-0d84b2c5e1";

	private static final String PIN = "90461237";

	private static final String SUPERUSER_PASSWORD = "Matrix-Super-Role-2b7f90";

	private static final String WRONG_APP = "Matrix-Wrong-App-c41e08";

	private static final String WRONG_ADMIN = "Matrix-Wrong-Admin-7a05d3";

	private static final String WRONG_REDIS = "Matrix-Wrong-Redis-e9306b";

	private static final String WRONG_MAIL = "Matrix-Wrong-Mail-15fa7c";

	private static final String WRONG_CLIENT = "Matrix-Wrong-Client-8d62e0";

	private static final String NOT_A_NUMBER = "Matrix-Not-A-Number-33c1";

	private static final String URL_BREAKER = "Matrix pass^word {7}|x";

	private static final String THROWN = "Matrix-Thrown-Key-5d08ab-9e17c3f042b6";

	private static final String TOO_SHORT = "Short-7c";

	private static final String ALSO_IN_ENV = "Matrix-Also-In-Env-46e2d1";

	private static final List<String> ALL = all();

	@RegisterExtension
	static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.test", "app", MAIL.get(0)));

	private static PostgresTestServer postgres;

	private static RedisTestServer redis;

	private static TestAuthorizationServer authorizationServer;

	@TempDir
	Path secrets;

	/** Every response body and every failure message of the run, searched at the end. */
	private final List<String> seen = new ArrayList<>();

	@BeforeAll
	static void startServers() throws Exception {
		postgres = PostgresTestServer.start(ADMIN);
		postgres.executeAsAdmin("CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + APP.get(0) + "'",
				"CREATE ROLE matrix_admin LOGIN SUPERUSER PASSWORD '" + SUPERUSER_PASSWORD + "'");
		redis = RedisTestServer.start(REDIS.get(0));
		authorizationServer = TestAuthorizationServer.start(CLIENT.get(0));
	}

	@AfterAll
	static void stopServers() throws Exception {
		authorizationServer.close();
		redis.close();
		postgres.close();
	}

	@Test
	void wholeRunWhenSearchedInEveryFormShowsNoSecret(CapturedOutput output) throws Exception {
		writeGeneration(0);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN);
		SecretFiles.write(this.secrets, "token_secret_key", TOKEN_KEY);
		SecretFiles.write(this.secrets, "pin_code", PIN);
		SecretFiles.write(this.secrets, "google_oauth_client_id", TestAuthorizationServer.CLIENT_ID);
		try (ConfigurableApplicationContext context = start()) {
			String actuator = "http://localhost:" + context.getEnvironment().getProperty("local.server.port")
					+ "/actuator";
			useEachServer(context, 0);
			visitEveryEndpoint(actuator);
			for (int generation = 1; generation <= 2; generation++) {
				rotate(context, generation);
				useEachServer(context, generation);
				visitEveryEndpoint(actuator);
			}
			refuseWrongSecrets(context);
		}
		failEachKindOfStart(output);
		assertThat(output.getAll()).contains(" TRACE ").contains("APPLICATION FAILED TO START");
		LeakForms.assertNoLeak("output at TRACE", output.getAll(), ALL);
		LeakForms.assertNoLeak("responses and failure messages", String.join("\n", this.seen), ALL);
	}

	private void writeGeneration(int generation) {
		SecretFiles.write(this.secrets, "db_password_server", APP.get(generation));
		SecretFiles.write(this.secrets, "redis_password", REDIS.get(generation));
		SecretFiles.write(this.secrets, "email_password", MAIL.get(generation));
		SecretFiles.write(this.secrets, "google_oauth_client_secret", CLIENT.get(generation));
		SecretFiles.write(this.secrets, "crypto_key", CRYPTO.get(generation));
	}

	private ConfigurableApplicationContext start() {
		return TestApplications.application(MatrixApplication.class, WebApplicationType.SERVLET, Map.of())
			.run(arguments("--server.port=0", "--secrets.reload.enabled=true", "--secrets.reload.quiet-period=200ms",
					"--secrets.reload.poll-interval=100ms", "--management.endpoints.web.exposure.include=*",
					"--management.endpoint.env.show-values=always",
					"--management.endpoint.configprops.show-values=always",
					"--management.endpoint.health.show-details=always", "--management.info.env.enabled=true",
					"--info.key=${secrets.file.crypto_key}", "--info.ordinary=visible-info-value",
					"--management.metrics.tags.leak=${secrets.file.crypto_key}", "--app.key=${secrets.file.crypto_key}",
					"--app.url=redis://:${secrets.file.redis_password}@127.0.0.1:" + redis.port(),
					"--app.pin=${secrets.file.pin_code}", "--app.signing=${secrets.file.token_secret_key}",
					"--app.ordinary=visible-ordinary-value"));
	}

	/**
	 * The arguments every start shares: the folder, TRACE, and the four servers.
	 */
	private String[] arguments(String... more) {
		String google = "spring.security.oauth2.client.registration.google.";
		List<String> all = new ArrayList<>(List.of("--secrets.dir=" + this.secrets, "--logging.level.root=TRACE",
				"--logging.level.com.icegreen.greenmail=INFO", "--logging.level.org.apache.coyote.http11=INFO",
				"--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.hikari.connection-timeout=3000",
				"--spring.flyway.locations=classpath:db/it-migration", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--spring.mail.host=127.0.0.1",
				"--spring.mail.port=" + smtp.getSmtp().getPort(), "--spring.mail.username=app",
				"--spring.mail.properties.mail.smtp.auth=true", "--" + google + "authorization-grant-type=client_credentials",
				"--" + google + "client-authentication-method=client_secret_post", "--" + google + "scope=orders.read",
				"--spring.security.oauth2.client.provider.google.token-uri=" + authorizationServer.tokenUri()));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	/** Each server used once, as the application user, with the secrets of this generation. */
	private void useEachServer(ConfigurableApplicationContext context, int generation) {
		context.getBean(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("app_user");
		List<String> notes = context.getBean(TransactionTemplate.class).execute((status) -> {
			jdbc.queryForObject("SELECT set_config('app.tenant', 'tenant-a', true)", String.class);
			return jdbc.queryForList("SELECT body FROM notes", String.class);
		});
		assertThat(notes).containsExactly("note of a");
		StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
		redisTemplate.opsForValue().set("matrix-visit", String.valueOf(generation));
		assertThat(redisTemplate.opsForValue().get("matrix-visit")).isEqualTo(String.valueOf(generation));
		context.getBean(JavaMailSender.class).send(message("generation " + generation));
		assertThat(smtp.getReceivedMessages()).extracting("subject").contains("generation " + generation);
		assertThat(token(context, "job-" + generation)).isNotBlank();
	}

	/** The servers first, then the files: the application follows without a restart. */
	private void rotate(ConfigurableApplicationContext context, int generation) throws Exception {
		SecretsReloader reloader = context.getBean(SecretsReloader.class);
		postgres.changePassword("app_user", APP.get(generation));
		try (RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(redis.port())
			.withPassword(REDIS.get(generation - 1).toCharArray())
			.build()); StatefulRedisConnection<String, String> admin = client.connect()) {
			admin.sync().configSet("requirepass", REDIS.get(generation));
		}
		smtp.getUserManager().getUser("app").setPassword(MAIL.get(generation));
		authorizationServer.useClientSecret(CLIENT.get(generation));
		writeGeneration(generation);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> CRYPTO.get(generation).equals(context.getEnvironment().getProperty("app.key"))
					&& APP.get(generation).equals(context.getEnvironment().getProperty("spring.datasource.password"))
					&& REDIS.get(generation).equals(context.getEnvironment().getProperty("spring.data.redis.password"))
					&& MAIL.get(generation).equals(context.getEnvironment().getProperty("spring.mail.password"))
					&& CLIENT.get(generation)
						.equals(context.getEnvironment()
							.getProperty("spring.security.oauth2.client.registration.google.client-secret")));
		await().atMost(Duration.ofSeconds(20)).until(() -> reloader.refusals() == 0 && reloader.rotations() >= generation);
	}

	/** Every endpoint shows ordinary values (so that the search means something). */
	private void visitEveryEndpoint(String actuator) throws Exception {
		assertThat(get(actuator + "/info")).contains("visible-info-value");
		assertThat(get(actuator + "/env")).contains("visible-ordinary-value");
		assertThat(get(actuator + "/env/app.ordinary")).contains("visible-ordinary-value");
		for (String property : List.of("app.key", "app.url", "app.pin", "app.signing", "info.key",
				"spring.datasource.password", "spring.flyway.password", "spring.data.redis.password",
				"spring.mail.password", "spring.security.oauth2.client.registration.google.client-secret",
				"secrets.file.crypto_key")) {
			assertThat(get(actuator + "/env/" + property)).as(property).contains("\"value\":\"******\"");
		}
		assertThat(get(actuator + "/configprops")).contains("visible-ordinary-value");
		assertThat(get(actuator + "/configprops/app")).contains("visible-ordinary-value");
		assertThat(get(actuator + "/configprops/spring.security.oauth2.client")).contains("orders.read");
		assertThat(get(actuator + "/health")).contains("visible-health-detail");
		assertThat(get(actuator + "/metrics")).contains("jvm.memory.used");
		assertThat(get(actuator + "/metrics/jvm.memory.used")).contains("availableTags");
		assertThat(get(actuator + "/secrets")).contains("db_password_server");
		for (String endpoint : List.of("", "/beans", "/conditions", "/mappings", "/loggers", "/scheduledtasks",
				"/threaddump", "/flyway", "/health/db", "/health/redis", "/health/mail", "/health/secrets")) {
			get(actuator + endpoint);
		}
	}

	/** A wrong secret file: each server refuses it, and the failure names no value. */
	private void refuseWrongSecrets(ConfigurableApplicationContext context) {
		SecretsReloader reloader = context.getBean(SecretsReloader.class);
		long rotations = reloader.rotations();
		SecretFiles.write(this.secrets, "redis_password", WRONG_REDIS);
		SecretFiles.write(this.secrets, "email_password", WRONG_MAIL);
		SecretFiles.write(this.secrets, "google_oauth_client_secret", WRONG_CLIENT);
		await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() > rotations
				&& WRONG_CLIENT.equals(context.getEnvironment()
					.getProperty("spring.security.oauth2.client.registration.google.client-secret")));
		Throwable redisRefused = failure(() -> {
			try (RedisClient client = RedisClient.create(RedisURI.builder()
				.withHost("127.0.0.1")
				.withPort(redis.port())
				.withPassword(context.getEnvironment().getProperty("spring.data.redis.password").toCharArray())
				.build()); StatefulRedisConnection<String, String> connection = client.connect()) {
				return connection.sync().ping();
			}
		});
		assertThat(redisRefused).hasStackTraceContaining("WRONGPASS");
		Throwable mailRefused = failure(() -> {
			context.getBean(JavaMailSender.class).send(message("wrong"));
			return null;
		});
		assertThat(mailRefused).isInstanceOf(MailAuthenticationException.class);
		Throwable clientRefused = failure(() -> token(context, "job-wrong"));
		assertThat(clientRefused).isInstanceOf(OAuth2AuthorizationException.class).hasMessageContaining("invalid_client");
	}

	/**
	 * A failed start of each kind: what it prints names the file, the property or the fix,
	 * never the value.
	 */
	private void failEachKindOfStart(CapturedOutput output) {
		writeGeneration(2);
		Path secrets = this.secrets;
		SecretFiles.write(secrets, "db_password_server", WRONG_APP);
		failedStart(output, secrets.resolve("db_password_server").toString());
		SecretFiles.write(secrets, "db_password_server", APP.get(2));
		SecretFiles.write(secrets, "postgres_password", WRONG_ADMIN);
		failedStart(output, secrets.resolve("postgres_password").toString());
		SecretFiles.write(secrets, "postgres_password", ADMIN);
		SecretFiles.write(secrets, "db_password_server", SUPERUSER_PASSWORD);
		failedStart(output, "must use an unprivileged role", "--spring.datasource.username=matrix_admin");
		SecretFiles.write(secrets, "db_password_server", APP.get(2));
		SecretFiles.write(secrets, "pin_code", NOT_A_NUMBER);
		failedStart(output, "Value: \"******\"", "--app.pin=${secrets.file.pin_code}");
		SecretFiles.write(secrets, "pin_code", PIN);
		SecretFiles.write(secrets, "redis_password", URL_BREAKER);
		failedStart(output, secrets.resolve("redis_password").toString(),
				"--spring.data.redis.url=redis://:${secrets.file.redis_password}@127.0.0.1:6379");
		SecretFiles.write(secrets, "redis_password", REDIS.get(2));
		SecretFiles.write(secrets, "crypto_key", THROWN);
		failedStart(output, "cannot use key ******", "--matrix.throw-with-key=true");
		SecretFiles.write(secrets, "crypto_key", TOO_SHORT);
		failedStart(output, "secrets.min-length.crypto_key");
		SecretFiles.write(secrets, "crypto_key", CRYPTO.get(2));
		failedStart(output, "matrix_missing", "--secrets.required=matrix_missing");
		SecretFiles.write(secrets, "email_password", ALSO_IN_ENV);
		failedStart(output, Map.of("SPRING_MAIL_PASSWORD", ALSO_IN_ENV), "SPRING_MAIL_PASSWORD",
				"--secrets.environment-check=fail");
	}

	/**
	 * A start that fails and prints what it must.
	 * @param output everything printed so far
	 * @param printed what the failure must print (the file, the property or the fix)
	 * @param args more arguments
	 */
	private void failedStart(CapturedOutput output, String printed, String... args) {
		failedStart(output, Map.of(), printed, args);
	}

	private void failedStart(CapturedOutput output, Map<String, String> osEnvironment, String printed,
			String... args) {
		int before = output.getAll().length();
		Throwable failure = catchThrowable(() -> TestApplications
			.application(MatrixApplication.class, WebApplicationType.NONE, osEnvironment)
			.run(arguments(args)));
		assertThat(failure).as("start with " + List.of(args)).isNotNull();
		assertThat(output.getAll().substring(before)).as("output of the start with " + List.of(args))
			.contains("APPLICATION FAILED TO START")
			.contains(printed);
		if (failure instanceof InvalidSecretsException || failure.getCause() instanceof DatabaseLoginException) {
			this.seen.add(describe(failure));
		}
		else {
			// Not ours: the exception SpringApplication.run throws keeps the message its
			// thrower gave it (Boot's invalid URL, a bean's own message). Boot does not print
			// it again; an application that logs it is masked by the logging filter.
			LoggerFactory.getLogger(LeakMatrixIT.class).error("The application did not start", failure);
		}
	}

	private Throwable failure(Supplier<Object> action) {
		Throwable failure = catchThrowable(action::get);
		assertThat(failure).isNotNull();
		this.seen.add(describe(failure));
		return failure;
	}

	private static String describe(Throwable failure) {
		java.io.StringWriter text = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

	private String get(String url) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(url).isEqualTo(200);
		this.seen.add(response.body());
		return response.body();
	}

	private static String token(ConfigurableApplicationContext context, String principal) {
		return context.getBean(AuthorizedClientServiceOAuth2AuthorizedClientManager.class)
			.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("google").principal(principal).build())
			.getAccessToken()
			.getTokenValue();
	}

	private static SimpleMailMessage message(String subject) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("app@example.test");
		message.setTo("ops@example.test");
		message.setSubject(subject);
		message.setText("leak matrix");
		return message;
	}

	private static List<String> all() {
		List<String> all = new ArrayList<>(List.of(ADMIN, TOKEN_KEY, PIN, SUPERUSER_PASSWORD, WRONG_APP, WRONG_ADMIN,
				WRONG_REDIS, WRONG_MAIL, WRONG_CLIENT, NOT_A_NUMBER, URL_BREAKER, THROWN, TOO_SHORT, ALSO_IN_ENV));
		for (List<String> generations : List.of(APP, REDIS, MAIL, CLIENT, CRYPTO)) {
			all.addAll(generations);
		}
		return all;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableConfigurationProperties(MatrixSettings.class)
	static class MatrixApplication {

		@Bean
		@ConditionalOnWebApplication
		SecurityFilterChain openForTheMatrix(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

		@Bean
		AuthorizedClientServiceOAuth2AuthorizedClientManager authorizedClientManager(
				ClientRegistrationRepository registrations, OAuth2AuthorizedClientService clients) {
			return new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
		}

		@Bean
		HealthIndicator matrixHealth(@Value("${secrets.file.crypto_key}") String key) {
			return () -> Health.up().withDetail("key", key).withDetail("ordinary", "visible-health-detail").build();
		}

		@Bean
		Object matrixCipher(@Value("${secrets.file.crypto_key}") String key,
				@Value("${matrix.throw-with-key:false}") boolean throwWithKey) {
			if (throwWithKey) {
				throw new IllegalStateException("cannot use key " + key);
			}
			return key.length();
		}

	}

	@ConfigurationProperties("app")
	record MatrixSettings(String key, String url, int pin, String signing, String ordinary) {

	}

}
