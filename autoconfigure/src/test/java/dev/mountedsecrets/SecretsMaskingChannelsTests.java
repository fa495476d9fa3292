package dev.mountedsecrets;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated, not listed: secrets drawn at random (fixed seed) from character classes, served
 * through every exposed endpoint (the starter's {@code secrets}, Boot's {@code env},
 * {@code configprops}, {@code info}, {@code beans}, {@code metrics}, {@code health},
 * {@code loggers}, {@code logfile}, custom endpoints producing JSON, YAML, plain text and
 * OpenMetrics text), asked over HTTP under every path spelling (as written, URL-encoded, with
 * a path parameter, trailing slash, other case), under a context and servlet path, on a
 * separate management port, on a WebFlux server (with and without a management port), and
 * over JMX. Each channel shows its ordinary values, and no
 * secret in any form: as written, Base64, URL-encoded, hex, after undoing JSON and YAML
 * escapes, nor any line of a multi-line secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsMaskingChannelsTests {

	private static final long SEED = 20261207L;

	/** Character classes a secret is drawn from, each a generator. */
	private static final Map<String, Function<Random, String>> CLASSES = classes();

	private static final Map<String, String> SECRETS = new LinkedHashMap<>();

	private static final Map<String, String> ENDPOINTS = endpoints();

	private static final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	static Path secretsDir;

	@TempDir
	static Path logDir;

	private final Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();

	private final Map<String, String> bases = new LinkedHashMap<>();

	@BeforeAll
	void start() throws IOException {
		Random random = new Random(SEED);
		CLASSES.forEach((name, generator) -> SECRETS.put(name, generator.apply(random)));
		SECRETS.forEach((name, value) -> SecretFiles.write(secretsDir, name, value));
		Path logFile = logDir.resolve("app.log");
		List<String> common = commonArguments(logFile);
		ConfigurableApplicationContext plain = run(common, "--spring.jmx.enabled=true",
				"--management.endpoints.jmx.exposure.include=*", "--management.endpoints.jmx.domain=masking.channels",
				"--logging.file.name=" + logFile);
		this.contexts.put("plain", plain);
		this.bases.put("plain", "http://localhost:" + port(plain, "local.server.port"));
		ConfigurableApplicationContext nested = run(common, "--server.servlet.context-path=/ctx",
				"--spring.mvc.servlet.path=/api", "--management.endpoint.logfile.external-file=" + logFile);
		this.contexts.put("context and servlet path", nested);
		this.bases.put("context and servlet path", "http://localhost:" + port(nested, "local.server.port") + "/ctx/api");
		ConfigurableApplicationContext management = run(common, "--management.server.port=0",
				"--management.endpoint.logfile.external-file=" + logFile);
		this.contexts.put("management port", management);
		this.bases.put("management port", "http://localhost:" + port(management, "local.management.port"));
		ConfigurableApplicationContext reactive = run(ReactiveChannelsApplication.class, WebApplicationType.REACTIVE,
				common, "--management.endpoint.logfile.external-file=" + logFile);
		this.contexts.put("webflux", reactive);
		this.bases.put("webflux", "http://localhost:" + port(reactive, "local.server.port"));
		ConfigurableApplicationContext reactiveManagement = run(ReactiveChannelsApplication.class,
				WebApplicationType.REACTIVE, common, "--management.server.port=0",
				"--management.endpoint.logfile.external-file=" + logFile);
		this.contexts.put("webflux management port", reactiveManagement);
		this.bases.put("webflux management port",
				"http://localhost:" + port(reactiveManagement, "local.management.port"));
		// lines written to the log file in clear, by something that is not the logging system
		StringBuilder lines = new StringBuilder("visible-log-line\n");
		SECRETS.forEach((name, value) -> lines.append(name).append(" logged ").append(value).append(" here\n"));
		Files.writeString(logFile, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	@AfterAll
	void stop() {
		this.contexts.values().forEach(ConfigurableApplicationContext::close);
	}

	Stream<Arguments> httpChannels() {
		List<Arguments> channels = new ArrayList<>();
		for (String application : this.bases.keySet()) {
			for (String spelling : List.of("/actuator", "/%61ctuator", "/actuator;x=1", "/ACTUATOR", "/Actuator")) {
				for (String endpoint : ENDPOINTS.keySet()) {
					if (application.startsWith("webflux") && endpoint.equals("/customyaml")) {
						continue; // a YAML writer is the application's own; the servlet applications have one
					}
					channels.add(Arguments.of(application, spelling, endpoint));
					channels.add(Arguments.of(application, spelling, endpoint + "/"));
				}
			}
		}
		return channels.stream();
	}

	@ParameterizedTest(name = "{0}: {1}{2}")
	@MethodSource("httpChannels")
	void endpointWhenAskedOverHttpShowsOrdinaryValuesAndNoSecret(String application, String spelling,
			String endpoint) throws Exception {
		String path = this.bases.get(application) + spelling + endpoint;
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(path)).build(),
				HttpResponse.BodyHandlers.ofString());
		String shown = response.headers().map() + "\n" + response.body();
		assertNoSecret(path, shown);
		boolean reachesActuator = !spelling.equalsIgnoreCase("/actuator") || spelling.equals("/actuator");
		if (reachesActuator && !endpoint.endsWith("/")) {
			assertThat(response.statusCode()).as(path).isEqualTo(200);
		}
		if (response.statusCode() == 200) {
			assertThat(response.body()).as(path).contains(ENDPOINTS.get(endpoint.replaceAll("/$", "")));
		}
		else {
			assertThat(response.statusCode()).as(path).isIn(404, 405);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("applications")
	void endpointWhenOperationFailsShowingSecretsAnswersTheFailureMasked(String application) throws Exception {
		for (String path : List.of("/actuator/customfailing", "/actuator/customfailing/x",
				"/actuator/customfailing/x/y")) {
			String url = this.bases.get(application) + path;
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertNoSecret(url, response.headers().map() + "\n" + response.body());
			assertThat(response.statusCode()).as(url).isEqualTo(path.endsWith("/x") ? 400 : 500);
		}
	}

	Stream<String> applications() {
		return this.bases.keySet().stream();
	}

	@Test
	void logfileWhenAskedInRangesNeverShowsASecretAcrossThePieces() throws Exception {
		String path = this.bases.get("plain") + "/actuator/logfile";
		String whole = http.send(HttpRequest.newBuilder(URI.create(path)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		int length = whole.getBytes(StandardCharsets.UTF_8).length;
		assertThat(whole).contains("visible-log-line").contains(" logged ******");
		for (int cut = 1; cut < length; cut += Math.max(1, length / 97)) {
			String first = range(path, "bytes=0-" + (cut - 1));
			String second = range(path, "bytes=" + cut + "-");
			assertNoSecret("logfile cut at " + cut, first + second);
			assertNoSecret("logfile cut at " + cut + ", first piece", first);
			assertNoSecret("logfile cut at " + cut + ", second piece", second);
		}
	}

	@Test
	void endpointWhenInvokedOverJmxShowsOrdinaryValuesAndNoSecret() throws Exception {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		List<ObjectName> names = new ArrayList<>(server.queryNames(new ObjectName("masking.channels:type=Endpoint,*"), null));
		assertThat(names).extracting((name) -> name.getKeyProperty("name"))
			.contains("Info", "Env", "Configprops", "Beans", "Metrics", "Health", "Loggers", "Secrets", "Customjson",
					"Customyaml", "Customtext", "Custommetrics", "Customfailing");
		StringBuilder all = new StringBuilder();
		for (ObjectName name : names) {
			for (MBeanOperationInfo operation : server.getMBeanInfo(name).getOperations()) {
				String shown;
				try {
					Object result = switch (operation.getSignature().length) {
						case 0 -> server.invoke(name, operation.getName(), new Object[0], new String[0]);
						case 1 -> (operation.getName().equals("environmentEntry")
								|| name.getKeyProperty("name").equals("Customfailing"))
										? server.invoke(name, operation.getName(), new Object[] { "info.whole.pem" },
												new String[] { String.class.getName() })
										: null;
						case 2 -> name.getKeyProperty("name").equals("Customfailing")
								? server.invoke(name, operation.getName(), new Object[] { "x", "y" },
										new String[] { String.class.getName(), String.class.getName() })
								: null;
						default -> null;
					};
					shown = String.valueOf(result);
				}
				catch (JMException | JMRuntimeException ex) {
					StringWriter trace = new StringWriter();
					ex.printStackTrace(new PrintWriter(trace));
					shown = trace.toString();
					assertThat(shown).contains(name.getKeyProperty("name").equals("Customfailing") ? "visible-"
							: "no failure expected here");
				}
				assertNoSecret(name + "." + operation.getName(), shown);
				all.append(shown).append('\n');
			}
		}
		for (String ordinary : List.of("visible-info-value", "visible-ordinary-value", "visible-health-detail",
				"mountedSecrets", "jvm.memory.used", "ROOT", "visible-json", "visible-yaml", "visible-text",
				"visible_metric", "source=commandLineArgs")) {
			assertThat(all.toString()).as("JMX answers show %s", ordinary).contains(ordinary);
		}
	}

	@Test
	void secretsWhenGeneratedAreEachMaskedInsideLongerTexts() {
		for (String secret : SECRETS.values()) {
			assertThat(ServedSecrets.isDistinctive(secret)).isTrue();
		}
		assertThat(SECRETS.get("pem")).contains("\n");
		assertThat(SECRETS.get("emoji").codePointCount(0, SECRETS.get("emoji").length()))
			.isLessThan(SECRETS.get("emoji").length());
	}

	private static String range(String path, String range) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(path)).header("Range", range).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(range).isEqualTo(206);
		return response.body();
	}

	private static void assertNoSecret(String where, String shown) {
		String unescaped = Escapes.undo(shown);
		List<String> secrets = new ArrayList<>(SECRETS.values());
		LeakForms.assertNoLeak(where, shown, secrets);
		LeakForms.assertNoLeak(where + " (escapes undone)", unescaped, secrets);
		for (String secret : secrets) {
			for (String line : secret.split("[\\s\\p{Cntrl}]+")) {
				if (line.length() >= 12) {
					assertThat(unescaped).as("%s shows a line of a secret", where).doesNotContain(line);
				}
			}
		}
	}

	private ConfigurableApplicationContext run(List<String> common, String... more) {
		return run(ChannelsApplication.class, WebApplicationType.SERVLET, common, more);
	}

	private ConfigurableApplicationContext run(Class<?> application, WebApplicationType type, List<String> common,
			String... more) {
		List<String> arguments = new ArrayList<>(common);
		arguments.addAll(List.of(more));
		return TestApplications.application(application, type, Map.of()).run(arguments.toArray(String[]::new));
	}

	private static List<String> commonArguments(Path logFile) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--secrets.dir=" + secretsDir,
				"--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
						+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
				"--management.endpoints.web.exposure.include=*", "--management.endpoints.web.exposure.exclude=heapdump",
				"--management.endpoint.env.show-values=always", "--management.endpoint.configprops.show-values=always",
				"--management.endpoint.health.show-details=always", "--management.info.env.enabled=true",
				"--management.health.redis.enabled=false", "--info.ordinary=visible-info-value",
				"--app.ordinary=visible-ordinary-value", "--spring.web.error.include-message=always",
				"--server.error.include-message=always"));
		for (String name : SECRETS.keySet()) {
			arguments.add("--info.whole." + name + "=${secrets.file." + name + "}");
			arguments.add("--info.inside." + name + "=before ${secrets.file." + name + "} after");
			arguments.add("--app.values." + name + "=${secrets.file." + name + "}");
			arguments.add("--app.inside." + name + "=x-${secrets.file." + name + "}-y");
			arguments.add("--management.metrics.tags." + name + "=${secrets.file." + name + "}");
		}
		return arguments;
	}

	private static int port(ConfigurableApplicationContext context, String property) {
		Environment environment = context.getEnvironment();
		return Integer.parseInt(environment.getProperty(property));
	}

	/** Paths under the actuator's base, each with what it shows that is no secret. */
	private static Map<String, String> endpoints() {
		Map<String, String> endpoints = new LinkedHashMap<>();
		endpoints.put("/secrets", "\"pem\"");
		endpoints.put("/env", "visible-ordinary-value");
		endpoints.put("/env/info.whole.pem", "\"source\":\"commandLineArgs\"");
		endpoints.put("/configprops", "visible-ordinary-value");
		endpoints.put("/info", "visible-info-value");
		endpoints.put("/beans", "mountedSecrets");
		endpoints.put("/metrics", "jvm.memory.used");
		endpoints.put("/metrics/jvm.memory.used", "availableTags");
		endpoints.put("/health", "visible-health-detail");
		endpoints.put("/loggers", "ROOT");
		endpoints.put("/logfile", "visible-log-line");
		endpoints.put("/customjson", "visible-json");
		endpoints.put("/customyaml", "visible-yaml");
		endpoints.put("/customtext", "visible-text");
		endpoints.put("/custommetrics", "visible_metric");
		return endpoints;
	}

	private static Map<String, Function<Random, String>> classes() {
		Map<String, Function<Random, String>> classes = new LinkedHashMap<>();
		classes.put("ascii", (random) -> draw(random, 24, chars(0x21, 0x7e)));
		classes.put("control", (random) -> draw(random, 24, "\t\r\n\u0001\u0007\u000b\u000c\u001b\u007fab12") + "z");
		classes.put("pem", (random) -> "-----BEGIN PRIVATE KEY-----\n"
				+ draw(random, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "\n"
				+ draw(random, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "\n"
				+ draw(random, 20, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "==\n"
				+ "-----END PRIVATE KEY-----");
		classes.put("quotes", (random) -> draw(random, 24, "\"'\\`aZ9\\\\u0041\\\"") + "q");
		classes.put("latin1", (random) -> draw(random, 24, chars(0xa1, 0xff) + "aZ9"));
		classes.put("cjk", (random) -> draw(random, 20, chars(0x4e00, 0x4fff)) + "\u3002");
		classes.put("emoji", (random) -> {
			StringBuilder emoji = new StringBuilder();
			for (int i = 0; i < 12; i++) {
				emoji.appendCodePoint(0x1f300 + random.nextInt(0x150)).append((char) ('a' + random.nextInt(26)));
			}
			return emoji.toString();
		});
		classes.put("escaped", (random) -> draw(random, 28, "\u2028\u2029\u0085\u00a0\u200b:#&*!|>%@{}[],?-<>=/$~aZ"
				+ "\ud800\udc00") + "e");
		return classes;
	}

	private static String chars(int from, int to) {
		StringBuilder chars = new StringBuilder();
		for (int c = from; c <= to; c++) {
			chars.append((char) c);
		}
		return chars.toString();
	}

	private static String draw(Random random, int length, String alphabet) {
		StringBuilder drawn = new StringBuilder();
		while (drawn.length() < length) {
			int at = random.nextInt(alphabet.length());
			char c = alphabet.charAt(at);
			if (Character.isHighSurrogate(c)) {
				drawn.append(alphabet, at, at + 2);
			}
			else if (!Character.isLowSurrogate(c)) {
				drawn.append(c);
			}
		}
		return drawn.toString();
	}

	/** Undoes the escapes of JSON strings and YAML double-quoted scalars. */
	static final class Escapes {

		static String undo(String text) {
			StringBuilder undone = new StringBuilder(text.length());
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c != '\\' || i + 1 == text.length()) {
					undone.append(c);
					continue;
				}
				char next = text.charAt(++i);
				switch (next) {
					case 'n' -> undone.append('\n');
					case 't' -> undone.append('\t');
					case 'r' -> undone.append('\r');
					case 'b' -> undone.append('\b');
					case 'f' -> undone.append('\f');
					case 'v' -> undone.append('\u000b');
					case 'a' -> undone.append('\u0007');
					case 'e' -> undone.append('\u001b');
					case '0' -> undone.append('\0');
					case 'N' -> undone.append('\u0085');
					case '_' -> undone.append('\u00a0');
					case 'L' -> undone.append('\u2028');
					case 'P' -> undone.append('\u2029');
					case 'x' -> i = hex(text, i, 2, undone);
					case 'u' -> i = hex(text, i, 4, undone);
					case 'U' -> i = hex(text, i, 8, undone);
					default -> undone.append(next);
				}
			}
			return undone.toString();
		}

		private static int hex(String text, int at, int digits, StringBuilder undone) {
			if (at + digits >= text.length()) {
				undone.append(text, at - 1, text.length());
				return text.length();
			}
			try {
				undone.appendCodePoint(Integer.parseInt(text.substring(at + 1, at + 1 + digits), 16));
				return at + digits;
			}
			catch (IllegalArgumentException ex) {
				undone.append('\\').append(text.charAt(at));
				return at;
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableConfigurationProperties(AppSettings.class)
	@Import(ChannelsEndpoints.class)
	static class ChannelsApplication {

		@Bean
		SecurityFilterChain openForTheTest(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

		@Bean
		HttpFirewall pathParametersAllowed() {
			StrictHttpFirewall firewall = new StrictHttpFirewall();
			firewall.setAllowSemicolon(true);
			return firewall;
		}

		@Bean
		HttpMessageConverter<Object> yamlConverter() {
			return new YamlConverter();
		}

	}

	/** A WebFlux application on Reactor Netty, as the WebFlux starter gives it (Tomcat is here for the others). */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration" })
	@EnableConfigurationProperties(AppSettings.class)
	@Import(ChannelsEndpoints.class)
	static class ReactiveChannelsApplication {

		@Bean
		SecurityWebFilterChain openForTheTest(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll()).build();
		}

		@Bean
		ServerWebExchangeFirewall pathParametersAllowed() {
			StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
			firewall.setAllowSemicolon(true);
			return firewall;
		}

	}

	/** The health details and custom endpoints both kinds of application show. */
	@Configuration(proxyBeanMethods = false)
	static class ChannelsEndpoints {

		@Bean
		HealthIndicator leakyHealth(Environment environment) {
			return () -> {
				Health.Builder health = Health.up().withDetail("ordinary", "visible-health-detail");
				SECRETS.forEach((name, value) -> health.withDetail("whole-" + name, value)
					.withDetail("inside-" + name, "a " + value + " b")
					.withDetail("key " + value, name));
				return health.build();
			};
		}

		@Bean
		CustomJsonEndpoint customJsonEndpoint() {
			return new CustomJsonEndpoint();
		}

		@Bean
		CustomYamlEndpoint customYamlEndpoint() {
			return new CustomYamlEndpoint();
		}

		@Bean
		CustomTextEndpoint customTextEndpoint() {
			return new CustomTextEndpoint();
		}

		@Bean
		CustomMetricsEndpoint customMetricsEndpoint() {
			return new CustomMetricsEndpoint();
		}

		@Bean
		CustomFailingEndpoint customFailingEndpoint() {
			return new CustomFailingEndpoint();
		}

	}

	@ConfigurationProperties("app")
	record AppSettings(Map<String, String> values, Map<String, String> inside, String ordinary) {

	}

	/** What a custom endpoint of an application shows: its objects, values and keys. */
	record Shown(String ordinary, Map<String, Object> values, List<String> list) {

		static Shown of(String ordinary) {
			Map<String, Object> values = new LinkedHashMap<>();
			SECRETS.forEach((name, value) -> {
				values.put(name, value);
				values.put(name + "-inside", "before " + value + " after");
				values.put("key " + value, name);
			});
			return new Shown(ordinary, values, List.copyOf(SECRETS.values()));
		}

	}

	@Endpoint(id = "customjson")
	static class CustomJsonEndpoint {

		@ReadOperation
		Shown read() {
			return Shown.of("visible-json");
		}

	}

	@Endpoint(id = "customyaml")
	static class CustomYamlEndpoint {

		@ReadOperation(produces = "application/yaml")
		Map<String, Object> read() {
			Map<String, Object> shown = new LinkedHashMap<>();
			shown.put("ordinary", "visible-yaml");
			shown.put("values", Shown.of("visible-yaml").values());
			return shown;
		}

	}

	@Endpoint(id = "customtext")
	static class CustomTextEndpoint {

		@ReadOperation(produces = "text/plain")
		String read() {
			StringBuilder text = new StringBuilder("ordinary=visible-text\n");
			SECRETS.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
			return text.toString();
		}

	}

	/** An operation that fails with every secret in its messages, and one that fails on bad input. */
	@Endpoint(id = "customfailing")
	static class CustomFailingEndpoint {

		@ReadOperation
		String read() {
			IllegalStateException failure = new IllegalStateException("visible-failure " + SECRETS.values(),
					new IllegalArgumentException("cause " + SECRETS.values()));
			failure.addSuppressed(new RuntimeException("suppressed " + SECRETS.values()));
			throw failure;
		}

		@ReadOperation
		String selector(@Selector String name) {
			throw new InvalidEndpointRequestException("visible-bad-request " + SECRETS.values(),
					"reason " + SECRETS.values());
		}

		@ReadOperation
		String error(@Selector String first, @Selector String second) {
			throw new AssertionError("visible-error " + SECRETS.values(),
					new IllegalStateException("cause " + SECRETS.values()));
		}

	}

	@Endpoint(id = "custommetrics")
	static class CustomMetricsEndpoint {

		@ReadOperation(produces = "application/openmetrics-text;version=1.0.0;charset=utf-8")
		String read() {
			StringBuilder text = new StringBuilder("# TYPE visible_metric gauge\nvisible_metric 1\n");
			SECRETS.forEach((name, value) -> text.append("secret_metric{name=\"")
				.append(name)
				.append("\",value=\"")
				.append(value)
				.append("\"} 1\n"));
			return text.append("# EOF\n").toString();
		}

	}

	/** Writes maps as YAML, every scalar double-quoted with YAML's escapes. */
	static class YamlConverter extends AbstractHttpMessageConverter<Object> {

		YamlConverter() {
			super(StandardCharsets.UTF_8, MediaType.parseMediaType("application/yaml"));
		}

		@Override
		protected boolean supports(Class<?> type) {
			return Map.class.isAssignableFrom(type);
		}

		@Override
		protected boolean canRead(MediaType mediaType) {
			return false;
		}

		@Override
		protected Object readInternal(Class<?> type, HttpInputMessage input) {
			throw new UnsupportedOperationException();
		}

		@Override
		protected void writeInternal(Object value, HttpOutputMessage output) throws IOException {
			StringBuilder yaml = new StringBuilder();
			write(value, "", yaml);
			output.getBody().write(yaml.toString().getBytes(StandardCharsets.UTF_8));
		}

		private static void write(Object value, String indent, StringBuilder yaml) {
			if (value instanceof Map<?, ?> map) {
				map.forEach((key, element) -> {
					yaml.append('\n').append(indent).append(quoted(String.valueOf(key))).append(':');
					write(element, indent + "  ", yaml);
				});
			}
			else if (value instanceof List<?> list) {
				list.forEach((element) -> {
					yaml.append('\n').append(indent).append('-');
					write(element, indent + "  ", yaml);
				});
			}
			else {
				yaml.append(' ').append(quoted(String.valueOf(value)));
			}
		}

		private static String quoted(String scalar) {
			StringBuilder quoted = new StringBuilder("\"");
			scalar.codePoints().forEach((c) -> {
				switch (c) {
					case '"' -> quoted.append("\\\"");
					case '\\' -> quoted.append("\\\\");
					case '\n' -> quoted.append("\\n");
					case '\t' -> quoted.append("\\t");
					case 0x85 -> quoted.append("\\N");
					case 0xa0 -> quoted.append("\\_");
					case 0x2028 -> quoted.append("\\L");
					case 0x2029 -> quoted.append("\\P");
					default -> {
						if (c < 0x20 || c == 0x7f) {
							quoted.append(String.format("\\x%02x", c));
						}
						else if (c > 0xffff) {
							quoted.append(String.format("\\U%08x", c));
						}
						else {
							quoted.appendCodePoint(c);
						}
					}
				}
			});
			return quoted.append('"').toString();
		}

	}

}
