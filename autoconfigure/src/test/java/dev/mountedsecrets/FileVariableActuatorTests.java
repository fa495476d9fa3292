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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code X_FILE} variable's value through the actuator, every value shown
 * ({@code show-values=always}): {@code /info} has no sanitizer, so only the registry of served
 * values stands between the value and the response; {@code /env} shows the variable's
 * property masked. Each endpoint first shows an ordinary value, so a check cannot pass
 * because everything was hidden.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class FileVariableActuatorTests {

	private static final String TOKEN = "File-Variable-Token-3e8d51c0a7";

	@TempDir
	static Path files;

	private ConfigurableApplicationContext context;

	private String base;

	private final List<String> responses = new ArrayList<>();

	@BeforeAll
	void start() {
		Path token = SecretFiles.write(files, "api_token", TOKEN);
		this.context = TestApplications
			.application(OpenActuator.class, WebApplicationType.SERVLET, Map.of("API_TOKEN_FILE", token.toString()))
			.run("--server.port=0", "--secrets.dir=" + files.resolve("no-folder"),
					"--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
							+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
							+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
					"--management.endpoints.web.exposure.include=env,info,configprops",
					"--management.endpoint.env.show-values=always",
					"--management.endpoint.configprops.show-values=always", "--management.info.env.enabled=true",
					"--info.token=${API_TOKEN}", "--info.ordinary=visible-info-value",
					"--app.ordinary=visible-env-value");
		this.base = "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + "/actuator";
	}

	@AfterAll
	void stop() {
		this.context.close();
	}

	@Test
	void actuatorWhenFileVariableShownThroughInfoAndEnvMasksItsValue(CapturedOutput output) throws Exception {
		assertThat(this.context.getEnvironment().getProperty("info.token")).as("the variable is served").isEqualTo(TOKEN);
		assertThat(get("/info")).contains("visible-info-value").contains("\"token\"");
		assertThat(get("/env")).contains("visible-env-value").contains("API_TOKEN");
		assertThat(get("/env/API_TOKEN")).contains("******");
		assertThat(get("/env/info.token")).contains("******");
		LeakForms.assertNoLeak("actuator responses", String.join("\n", this.responses), List.of(TOKEN));
		LeakForms.assertNoLeak("output", output.getAll(), List.of(TOKEN));
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
	static class OpenActuator {

		@Bean
		SecurityFilterChain openForTheTest(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

}
