package dev.mountedsecrets;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
 * Actuator with every value shown ({@code show-values=always}): secrets stay masked in
 * {@code /env} and {@code /configprops}, with their file as origin; the {@code secrets}
 * endpoint, health and metrics describe them without any value, length or hash.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsActuatorTests {

	private static final String REDIS_PASSWORD = "Actuator-Redis-1b9e44d0";

	private static final String CRYPTO_KEY = "Actuator-Crypto-Key-5f20c7a1-9e3d-4b";

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path secrets;

	private ConfigurableApplicationContext context;

	private String base;

	@BeforeEach
	void start() {
		SecretFiles.write(this.secrets, "redis_password", REDIS_PASSWORD);
		SecretFiles.write(this.secrets, "crypto_key", CRYPTO_KEY);
		this.context = TestApplications.application(ActuatorApplication.class, WebApplicationType.SERVLET, Map.of())
			.run("--server.port=0", "--secrets.dir=" + this.secrets, "--secrets.required=redis_password",
					"--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
							+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
					"--management.endpoints.web.exposure.include=*", "--management.endpoint.env.show-values=always",
					"--management.endpoint.configprops.show-values=always",
					"--management.endpoint.health.show-details=always", "--app.crypto.key=${secrets.file.crypto_key}",
					"--app.cache.url=redis://:${secrets.file.redis_password}@cache:6379");
		this.base = "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + "/actuator";
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void envWhenShowValuesAlwaysMasksSecretsAndNamesTheirFile(CapturedOutput output) throws Exception {
		String env = get("/env");
		assertNoSecretIn(env);
		JsonNode redis = json.readTree(get("/env/spring.data.redis.password"));
		assertThat(redis.at("/property/value").asString()).isEqualTo("******");
		assertThat(redis.at("/property/source").asString()).isEqualTo(SecretsPropertySource.NAME);
		assertThat(redis.toString()).contains(this.secrets.resolve("redis_password").toString());
		assertThat(json.readTree(get("/env/app.crypto.key")).at("/property/value").asString()).isEqualTo("******");
		assertThat(json.readTree(get("/env/app.cache.url")).at("/property/value").asString()).isEqualTo("******");
		assertThat(json.readTree(get("/env/server.port")).at("/property/value").asString()).isEqualTo("0");
		assertNoSecretIn(output.getAll());
	}

	@Test
	void configpropsWhenShowValuesAlwaysMasksBoundSecrets() throws Exception {
		String configprops = get("/configprops");
		assertThat(configprops).contains("app.crypto").contains("spring.data.redis");
		assertNoSecretIn(configprops);
	}

	@Test
	void secretsEndpointDescribesEachSecretWithoutValue() throws Exception {
		String body = get("/secrets");
		assertNoSecretIn(body);
		assertThat(body).doesNotContain(String.valueOf(REDIS_PASSWORD.length()) + ",")
			.doesNotContainIgnoringCase("hash")
			.doesNotContainIgnoringCase("length");
		JsonNode report = json.readTree(body);
		assertThat(report.get("dir").asString()).isEqualTo(this.secrets.toString());
		JsonNode redis = find(report, "redis_password");
		assertThat(redis.get("file").asString()).isEqualTo(this.secrets.resolve("redis_password").toString());
		assertThat(redis.get("status").asString()).isEqualTo("ok");
		assertThat(redis.get("properties").toString()).contains("spring.data.redis.password")
			.contains("secrets.file.redis_password");
		assertThat(redis.get("consumers").toString()).contains("Redis");
		assertThat(redis.get("lastModified").asString()).isNotEmpty();
		assertThat(find(report, "crypto_key").get("status").asString()).isEqualTo("ok");
	}

	@Test
	void healthWhenRequiredSecretDeletedTurnsDownAndEndpointSaysMissing() throws Exception {
		assertThat(json.readTree(get("/health/secrets")).get("status").asString()).isEqualTo("UP");
		Files.delete(this.secrets.resolve("redis_password"));
		JsonNode health = json.readTree(get("/health/secrets", 503));
		assertThat(health.get("status").asString()).isEqualTo("DOWN");
		assertThat(health.toString()).contains("redis_password")
			.contains("is required (secrets.required) but does not exist");
		JsonNode redis = find(json.readTree(get("/secrets")), "redis_password");
		assertThat(redis.get("status").asString()).isEqualTo("missing");
	}

	@Test
	void healthWhenLoadedSecretDeletedIsDownAndEndpointSaysMissing() throws Exception {
		Files.delete(this.secrets.resolve("crypto_key"));
		JsonNode health = json.readTree(get("/health/secrets", 503));
		assertThat(health.get("status").asString()).isEqualTo("DOWN");
		assertThat(health.toString()).contains(this.secrets.resolve("crypto_key") + " (feeds secrets.file.crypto_key): was removed");
		JsonNode crypto = find(json.readTree(get("/secrets")), "crypto_key");
		assertThat(crypto.get("status").asString()).isEqualTo("missing");
		assertThat(crypto.get("reason").asString()).isEqualTo("was removed");
		assertThat(this.context.getEnvironment().getProperty("app.crypto.key")).isEqualTo(CRYPTO_KEY);
	}

	@Test
	@MustNotHang
	void healthWhenSecretSwappedForFifoIsDownWithoutBlocking() throws Exception {
		Path redis = this.secrets.resolve("redis_password");
		Files.delete(redis);
		assertThat(new ProcessBuilder("mkfifo", redis.toString()).start().waitFor()).isZero();
		JsonNode health = json.readTree(get("/health/secrets", 503));
		assertThat(health.toString()).contains("redis_password")
			.contains("is not a regular file (a FIFO, socket or device)");
		assertThat(find(json.readTree(get("/secrets")), "redis_password").get("status").asString())
			.isEqualTo("invalid");
	}

	@Test
	void healthWhenSecretTurnsInvalidIsDown() throws Exception {
		Files.writeString(this.secrets.resolve("crypto_key"), "too-short");
		JsonNode health = json.readTree(get("/health/secrets", 503));
		assertThat(health.get("status").asString()).isEqualTo("DOWN");
		assertThat(health.toString()).contains("is shorter than the 32 characters required").doesNotContain("too-short");
		assertThat(find(json.readTree(get("/secrets")), "crypto_key").get("status").asString()).isEqualTo("invalid");
	}

	@Test
	void metricsCountLoadedAndInvalidSecrets() throws Exception {
		assertThat(json.readTree(get("/metrics/secrets.loaded")).at("/measurements/0/value").asDouble()).isEqualTo(2.0);
		assertThat(json.readTree(get("/metrics/secrets.invalid")).at("/measurements/0/value").asDouble()).isZero();
		Files.writeString(this.secrets.resolve("redis_password"), "");
		assertThat(json.readTree(get("/metrics/secrets.invalid")).at("/measurements/0/value").asDouble()).isEqualTo(1.0);
	}

	private static JsonNode find(JsonNode report, String name) {
		for (JsonNode secret : report.get("secrets")) {
			if (secret.get("name").asString().equals(name)) {
				return secret;
			}
		}
		throw new AssertionError("No " + name + " in " + report);
	}

	private String get(String path) throws Exception {
		return get(path, 200);
	}

	private String get(String path, int status) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
		return response.body();
	}

	private static void assertNoSecretIn(String text) {
		assertThat(text).doesNotContain(REDIS_PASSWORD).doesNotContain(CRYPTO_KEY);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableConfigurationProperties(AppCrypto.class)
	static class ActuatorApplication {

		@Bean
		SecurityFilterChain openForTheTest(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

	@ConfigurationProperties("app.crypto")
	record AppCrypto(String key) {

	}

}
