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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every actuator endpoint exposed, every value shown ({@code show-values=always}): the
 * endpoints show ordinary values, and no secret served by the process, before or after two
 * rotations, bound as a string, an {@code int}, a {@code Duration}, a {@code char[]}, a list
 * or a map, set on the command line, or put in {@code info.*}, metrics tags or health details,
 * appears in any response or in the output, in clear, Base64, URL-encoded or hex form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class EndpointLeakTests {

	private static final String CRYPTO_1 = "Endpoint-Crypto-Key-1-a9c0e5d7f3b2";

	private static final String CRYPTO_2 = "Endpoint-Crypto-Key-2-77f1e0c4a8d6";

	private static final String CRYPTO_3 = "Endpoint-Crypto-Key-3-0b9d2c6e4f1a";

	private static final String REDIS_1 = "Endpoint-Redis-1-5c3e9a";

	private static final String REDIS_2 = "Endpoint-Redis-2-e41d0b";

	private static final String PIN = "48213907";

	private static final String TTL = "7654321s";

	private static final String MAIL_OVERRIDE = "CmdLine-Mail-Override-77c1";

	private static final List<String> ALL = List.of(CRYPTO_1, CRYPTO_2, CRYPTO_3, REDIS_1, REDIS_2, PIN, TTL,
			MAIL_OVERRIDE);

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path secrets;

	private ConfigurableApplicationContext context;

	private String base;

	private final List<String> responses = new ArrayList<>();

	@BeforeAll
	void start() {
		SecretFiles.write(secrets, "crypto_key", CRYPTO_1);
		SecretFiles.write(secrets, "redis_password", REDIS_1);
		SecretFiles.write(secrets, "pin_code", PIN);
		SecretFiles.write(secrets, "ttl_secret", TTL);
		this.context = TestApplications.application(LeakyApplication.class, WebApplicationType.SERVLET, Map.of())
			.run("--server.port=0", "--secrets.dir=" + secrets,
					"--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
							+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
					"--management.endpoints.web.exposure.include=*",
					"--management.endpoint.heapdump.access=unrestricted", "--management.endpoint.env.show-values=always",
					"--management.endpoint.configprops.show-values=always",
					"--management.endpoint.health.show-details=always", "--management.info.env.enabled=true",
					"--info.x=${secrets.file.crypto_key}", "--info.ordinary=visible-info-value",
					"--management.metrics.tags.leak=${secrets.file.crypto_key}",
					"--app.key=${secrets.file.crypto_key}", "--app.url=redis://:${secrets.file.redis_password}@cache:6379",
					"--app.pin=${secrets.file.pin_code}", "--app.ttl=${secrets.file.ttl_secret}",
					"--app.chars=${secrets.file.crypto_key}", "--app.list=${secrets.file.crypto_key},plain-item",
					"--app.map.k=${secrets.file.crypto_key}", "--app.ordinary=visible-ordinary-value",
					"--management.health.redis.enabled=false", "--spring.mail.password=" + MAIL_OVERRIDE);
		this.base = "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + "/actuator";
	}

	@AfterAll
	void stop() {
		this.context.close();
	}

	@Test
	void endpointsWhenEverythingExposedShowOrdinaryValuesAndNoSecret(CapturedOutput output) throws Exception {
		assertThat(get("/info")).contains("visible-info-value");
		assertThat(get("/env")).contains("visible-ordinary-value").contains("commandLineArgs");
		assertThat(value("/env/app.ordinary")).isEqualTo("visible-ordinary-value");
		for (String property : List.of("app.key", "app.url", "app.pin", "app.ttl", "info.x", "spring.mail.password",
				"secrets.file.crypto_key", "spring.data.redis.password")) {
			assertThat(value("/env/" + property)).as(property).isEqualTo("******");
		}
		assertThat(get("/configprops")).contains("visible-ordinary-value").contains("plain-item");
		assertThat(get("/configprops/app")).contains("visible-ordinary-value");
		assertThat(get("/beans")).contains("mountedSecrets");
		assertThat(get("/conditions")).contains("MountedSecretsActuatorAutoConfiguration");
		assertThat(get("/health")).contains("visible-health-detail");
		assertThat(get("/metrics")).contains("jvm.memory.used");
		assertThat(get("/metrics/jvm.memory.used")).contains("availableTags");
		assertThat(get("/secrets")).contains("crypto_key");
		for (String endpoint : List.of("/mappings", "/loggers", "/scheduledtasks", "/threaddump", "")) {
			get(endpoint);
		}
		assertNoLeakAnywhere();
		assertThat(output.getAll()).contains("heapdump actuator endpoint is exposed");
		LeakForms.assertNoLeak("output", output.getAll(), ALL);
	}

	@Test
	void configpropsWhenSecretsBoundToAnyTypeMasksThem() throws Exception {
		JsonNode app = json.readTree(get("/configprops/app")).findValue("properties");
		assertThat(app.get("ordinary").asString()).isEqualTo("visible-ordinary-value");
		for (String field : List.of("key", "url", "pin", "ttl", "chars")) {
			assertThat(app.get(field).asString()).as(field).isEqualTo("******");
		}
		assertThat(app.toString()).contains("plain-item");
		assertNoLeakAnywhere();
	}

	@Test
	void configpropsWhenSecretsRotatedTwiceMasksOldAndNewValues() throws Exception {
		MountedSecrets mounted = this.context.getBean(MountedSecrets.class);
		SecretFiles.write(secrets, "crypto_key", CRYPTO_2);
		SecretFiles.write(secrets, "redis_password", REDIS_2);
		assertThat(mounted.rotate(mounted.readFolder()).secrets()).containsExactly("crypto_key", "redis_password");
		SecretFiles.write(secrets, "crypto_key", CRYPTO_3);
		assertThat(mounted.rotate(mounted.readFolder()).secrets()).containsExactly("crypto_key");
		assertThat(this.context.getEnvironment().getProperty("app.key")).isEqualTo(CRYPTO_3);
		assertThat(this.context.getBean(AppSettings.class).key()).as("bound before the rotations").isEqualTo(CRYPTO_1);
		JsonNode app = json.readTree(get("/configprops/app")).findValue("properties");
		assertThat(app.get("key").asString()).isEqualTo("******");
		assertThat(app.get("url").asString()).isEqualTo("******");
		get("/configprops");
		get("/env");
		get("/info");
		get("/health");
		assertNoLeakAnywhere();
	}

	private void assertNoLeakAnywhere() {
		LeakForms.assertNoLeak("actuator responses", String.join("\n", this.responses), ALL);
	}

	private String value(String path) throws Exception {
		return json.readTree(get(path)).at("/property/value").asString();
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		this.responses.add(response.body());
		return response.body();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableConfigurationProperties(AppSettings.class)
	static class LeakyApplication {

		@Bean
		SecurityFilterChain openForTheTest(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

		@Bean
		HealthIndicator leakyHealth(@Value("${secrets.file.crypto_key}") String key) {
			return () -> Health.up().withDetail("key", key).withDetail("ordinary", "visible-health-detail").build();
		}

	}

	@ConfigurationProperties("app")
	record AppSettings(String key, String url, int pin, Duration ttl, char[] chars, List<String> list,
			Map<String, String> map, String ordinary) {

	}

}
