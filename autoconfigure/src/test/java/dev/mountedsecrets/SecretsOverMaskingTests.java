package dev.mountedsecrets;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values that are not secret-like ({@code true}, {@code springframework}, a short number),
 * served as secrets, do not damage output that holds no secret: {@code /configprops} keeps its
 * booleans, {@code /beans} its class names, {@code /metrics} its numbers; each is still masked
 * where it is shown as a value of its own, and a real secret inside a longer text still is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsOverMaskingTests {

	private static final String REAL = "Real-Secret-7f3a9c";

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path secrets;

	private ConfigurableApplicationContext context;

	private String base;

	@BeforeAll
	void start() {
		SecretFiles.write(secrets, "flag", "true");
		SecretFiles.write(secrets, "word", "springframework");
		SecretFiles.write(secrets, "number", "12345678");
		SecretFiles.write(secrets, "real", REAL);
		this.context = TestApplications.application(OverMaskingApplication.class, WebApplicationType.SERVLET, Map.of())
			.run("--server.port=0", "--secrets.dir=" + secrets,
					"--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
							+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
					"--management.endpoints.web.exposure.include=*", "--management.endpoints.web.exposure.exclude=heapdump",
					"--management.endpoint.env.show-values=always", "--management.endpoint.configprops.show-values=always",
					"--management.info.env.enabled=true", "--management.health.redis.enabled=false",
					"--info.url=https://user:${secrets.file.real}@springframework.example/true",
					"--info.word=${secrets.file.word}", "--info.flag=${secrets.file.flag}",
					"--info.text=a springframework text, true, 123456789");
		this.base = "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + "/actuator";
	}

	@AfterAll
	void stop() {
		this.context.close();
	}

	@Test
	void configpropsWhenTrueServedAsSecretKeepsBooleans() throws Exception {
		List<JsonNode> booleans = new ArrayList<>();
		collect(json.readTree(get("/configprops")), booleans);
		assertThat(booleans).extracting(JsonNode::asBoolean).contains(true, false);
		JsonNode enabled = json.readTree(get("/configprops/secrets"))
			.at("/contexts/application/beans/secrets-dev.mountedsecrets.SecretsProperties/properties/enabled");
		assertThat(enabled.isBoolean()).as("secrets.enabled: %s", enabled).isTrue();
		assertThat(enabled.asBoolean()).isTrue();
	}

	@Test
	void beansWhenSpringframeworkServedAsSecretKeepsClassNames() throws Exception {
		String beans = get("/beans");
		assertThat(beans).contains("org.springframework.boot.").doesNotContain("org.******");
	}

	@Test
	void infoWhenOrdinaryValuesServedMasksThemOnlyAsWholeValues() throws Exception {
		JsonNode info = json.readTree(get("/info"));
		assertThat(info.get("url").asString()).isEqualTo("https://user:******@springframework.example/true");
		assertThat(info.get("word").asString()).isEqualTo("******");
		assertThat(info.get("flag").asString()).isEqualTo("******");
		assertThat(info.get("text").asString()).isEqualTo("a springframework text, true, 123456789");
	}

	@Test
	void envWhenOrdinaryValuesServedMasksTheirPropertiesByMeaning() throws Exception {
		for (String property : List.of("secrets.file.flag", "secrets.file.word", "secrets.file.number", "info.flag")) {
			assertThat(json.readTree(get("/env/" + property)).at("/property/value").asString()).as(property)
				.isEqualTo("******");
		}
		assertThat(json.readTree(get("/env/info.text")).at("/property/value").asString())
			.isEqualTo("a springframework text, true, 123456789");
	}

	private static void collect(JsonNode node, List<JsonNode> booleans) {
		if (node.isBoolean()) {
			booleans.add(node);
		}
		node.forEach((child) -> collect(child, booleans));
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		assertThat(response.body()).as(path).doesNotContain(REAL);
		return response.body();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OverMaskingApplication {

		@Bean
		SecurityFilterChain openForTheTest(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

}
