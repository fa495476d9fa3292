package dev.mountedsecrets.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.sample.local.LocalServices;
import dev.mountedsecrets.sample.web.TokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as built by {@code spring-boot:process-aot} (profile {@code aot}), started on the
 * JVM with {@code spring.aot.enabled=true} against real local servers: its beans come from the
 * generated initializer, and its wiring report is green for every secret. The real servers
 * start first, in ordinary mode (the local OAuth2 provider is not part of the AOT build).
 */
class SampleAotIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path secrets;

	private static LocalServices services;

	private static ConfigurableApplicationContext app;

	private static String base;

	@BeforeAll
	static void start() throws Exception {
		GenerateSecrets.generateMissing(secrets);
		int port = RedisTestServer.freePort();
		services = LocalServices.start(secrets, port);
		System.setProperty(AotDetector.AOT_ENABLED, "true");
		SpringApplication application = new SpringApplication(SampleApplication.class);
		// The generated initializer is found by the main class's name, as when started with java -jar.
		application.setMainApplicationClass(SampleApplication.class);
		app = application.run(services.sampleArguments(port));
		base = "http://localhost:" + port;
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (app != null) {
				app.close();
			}
			if (services != null) {
				services.close();
			}
		}
		finally {
			System.clearProperty(AotDetector.AOT_ENABLED);
		}
	}

	@Test
	void startWhenAotEnabledUsesGeneratedInitializer() {
		assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
		assertThat(ClassUtils.isPresent(SampleApplication.class.getName() + "__ApplicationContextInitializer", null))
			.isTrue();
		RootBeanDefinition definition = (RootBeanDefinition) app.getBeanFactory()
			.getMergedBeanDefinition(app.getBeanNamesForType(MountedSecrets.class)[0]);
		assertThat(definition.getInstanceSupplier()).as("registered by generated code").isNotNull();
	}

	@Test
	void wiringReportWhenAotEnabledIsGreenForEverySecret() throws Exception {
		String ops = app.getBean(TokenIssuer.class).issue("ops@sample.test", "ops", List.of("USER", "OPS"));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(base + "/actuator/wiring")).header("Authorization", "Bearer " + ops)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode report = json.readTree(response.body());
		assertThat(report.get("status").asString()).as(response.body()).isEqualTo("UP");
		assertThat(report.get("secrets")).hasSize(9);
		for (JsonNode secret : report.get("secrets")) {
			assertThat(secret.get("present").asBoolean()).as(secret.toString()).isTrue();
			assertThat(secret.get("consumer").get("ok").asBoolean()).as(secret.toString()).isTrue();
		}
	}

	@Test
	void generatedCodeWhenBuiltWithSecretsHoldsNoneOfTheirValues() throws IOException {
		Path buildSecrets = Path.of(System.getProperty("aot.build.secrets"));
		Path generated = Path.of(System.getProperty("aot.generated"));
		List<String> values = new ArrayList<>();
		for (String name : GenerateSecrets.names()) {
			values.add(Files.readString(buildSecrets.resolve(name)).strip());
		}
		List<Path> files;
		try (Stream<Path> tree = Files.walk(generated)) {
			files = tree.filter(Files::isRegularFile).toList();
		}
		assertThat(files).anySatisfy((file) -> assertThat(file.toString()).endsWith(".java"));
		for (Path file : files) {
			String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
			for (String value : values) {
				assertThat(content).as(file.toString()).doesNotContain(value);
			}
		}
	}

}
