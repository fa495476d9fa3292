package dev.mountedsecrets.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.sample.local.LocalServices;
import dev.mountedsecrets.sample.web.TokenIssuer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample on real local servers, driven over HTTP the way a user would: sign in through
 * the OAuth2 provider, use the API as two tenants, and read the wiring report.
 */
class SampleApplicationIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path secrets;

	private static LocalServices services;

	private static ConfigurableApplicationContext app;

	private static String base;

	private static final ByteArrayOutputStream captured = new ByteArrayOutputStream();

	private static PrintStream originalOut;

	@BeforeAll
	static void start() throws Exception {
		GenerateSecrets.generateMissing(secrets);
		int port = RedisTestServer.freePort();
		originalOut = System.out;
		System.setOut(new PrintStream(new TeeStream(originalOut, captured), true));
		services = LocalServices.start(secrets, port);
		// Every value shown to OPS: the leak checks below then prove the starter's masking, not
		// Boot's default of hiding every value.
		List<String> args = new ArrayList<>(List.of(services.sampleArguments(port)));
		args.addAll(List.of("--management.endpoint.env.show-values=when-authorized",
				"--management.endpoint.env.roles=OPS", "--management.endpoint.configprops.show-values=when-authorized",
				"--management.endpoint.configprops.roles=OPS"));
		app = SpringApplication.run(SampleApplication.class, args.toArray(String[]::new));
		base = "http://localhost:" + port;
	}

	@AfterAll
	static void stop() throws Exception {
		app.close();
		services.close();
		System.setOut(originalOut);
		String output = captured.toString(StandardCharsets.UTF_8);
		assertThat(output).as("the capture saw the sample's log").contains("secret file(s) from " + secrets);
		for (String name : GenerateSecrets.names()) {
			String value = read(name);
			if (!name.equals("google_oauth_client_id")) {
				for (String form : leakForms(value)) {
					assertThat(output).as("output must not contain " + name).doesNotContain(form);
				}
			}
		}
	}

	@Test
	void signInThroughProviderGivesTokenThatWorksForTheTenant() throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> authorize = browser.get(base + "/oauth2/authorization/google", false);
		assertThat(authorize.statusCode()).isEqualTo(302);
		assertThat(authorize.headers().firstValue("Location").orElseThrow())
			.startsWith(services.providerIssuer() + "/oauth2/authorize")
			.contains("client_id=" + read("google_oauth_client_id"));
		String token = browser.signIn();
		HttpResponse<String> created = api("POST", "/api/notes", token, "{\"body\":\"plan for tenant a\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(json.readTree(api("GET", "/api/notes", token, null).body()).findValuesAsString("body"))
			.contains("plan for tenant a");
	}

	@Test
	void notesOfOneTenantAreInvisibleToAnother() throws Exception {
		String tenantA = issue("carol@tenant-c.test", "tenant-c.test", "USER");
		String tenantB = issue("dave@tenant-d.test", "tenant-d.test", "USER");
		assertThat(api("POST", "/api/notes", tenantA, "{\"body\":\"c only\"}").statusCode()).isEqualTo(201);
		assertThat(api("POST", "/api/notes", tenantB, "{\"body\":\"d only\"}").statusCode()).isEqualTo(201);
		assertThat(bodies(tenantA)).containsExactly("c only");
		assertThat(bodies(tenantB)).containsExactly("d only");
	}

	@Test
	void storedFieldIsEncryptedInDatabaseAndReadableThroughApp() throws Exception {
		String token = issue("erin@tenant-e.test", "tenant-e.test", "USER");
		api("POST", "/api/notes", token, "{\"body\":\"the launch code is 0000\"}");
		List<String> stored = new ArrayList<>();
		try (Connection admin = services.postgres().login("app", "postgres", read("postgres_password"));
				ResultSet rows = admin.createStatement()
					.executeQuery("SELECT body_encrypted FROM notes WHERE tenant = 'tenant-e.test'")) {
			while (rows.next()) {
				stored.add(rows.getString(1));
			}
		}
		assertThat(stored).hasSize(1);
		assertThat(stored.get(0)).doesNotContain("launch").isBase64();
		assertThat(bodies(token)).containsExactly("the launch code is 0000");
	}

	@Test
	void visitsCountPerTenantInRedis() throws Exception {
		String token = issue("frank@tenant-f.test", "tenant-f.test", "USER");
		assertThat(json.readTree(api("POST", "/api/visits", token, null).body()).get("visits").asLong()).isEqualTo(1);
		assertThat(json.readTree(api("POST", "/api/visits", token, null).body()).get("visits").asLong()).isEqualTo(2);
	}

	@Test
	void mailReachesTheSmtpServer() throws Exception {
		String token = issue("gina@tenant-g.test", "tenant-g.test", "USER");
		assertThat(api("POST", "/api/mail", token, "{\"to\":\"gina@tenant-g.test\"}").statusCode()).isEqualTo(202);
		assertThat(services.smtp().waitForIncomingEmail(5000, 1)).isTrue();
		MimeMessage[] received = services.smtp().getReceivedMessages();
		assertThat(received).anySatisfy((message) -> assertThat(message.getSubject()).isEqualTo("Notes of tenant-g.test"));
	}

	@Test
	void tokenSignedWithAnotherKeyIsRejected() throws Exception {
		SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
				new JWTClaimsSet.Builder().subject("mallory").claim("tenant", "tenant-c.test")
					.claim("roles", List.of("USER", "OPS"))
					.expirationTime(new Date(System.currentTimeMillis() + 60_000))
					.build());
		forged.sign(new MACSigner("not-the-token-secret-key-but-32-chars-long".getBytes(StandardCharsets.UTF_8)));
		assertThat(api("GET", "/api/notes", forged.serialize(), null).statusCode()).isEqualTo(401);
	}

	@Test
	void wiringReportIsGreenForOpsAndClosedToOthers() throws Exception {
		assertThat(api("GET", "/actuator/wiring", null, null).statusCode()).isEqualTo(401);
		String user = issue("hank@tenant-h.test", "tenant-h.test", "USER");
		assertThat(api("GET", "/actuator/wiring", user, null).statusCode()).isEqualTo(403);
		String ops = issue("ops@sample.test", "ops", "USER", "OPS");
		HttpResponse<String> response = api("GET", "/actuator/wiring", ops, null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode report = json.readTree(response.body());
		assertThat(report.get("status").asString()).as(response.body()).isEqualTo("UP");
		assertThat(report.get("secrets")).hasSize(9);
		for (JsonNode secret : report.get("secrets")) {
			assertThat(secret.get("present").asBoolean()).as(secret.toString()).isTrue();
			assertThat(secret.get("consumer").get("ok").asBoolean()).as(secret.toString()).isTrue();
		}
		assertThat(response.body()).contains("current_user=app_user").contains("can bypass RLS=false");
		assertNoSecretIn(response.body());
		HttpResponse<String> env = api("GET", "/actuator/env", ops, null);
		assertThat(env.statusCode()).isEqualTo(200);
		assertThat(env.body()).as("/env shows ordinary values").contains("mounted-secrets-sample");
		assertThat(json.readTree(api("GET", "/actuator/env/spring.mail.username", ops, null).body())
			.at("/property/value")
			.asString()).as("/env shows an ordinary value").isEqualTo("app");
		assertNoSecretIn(env.body());
		HttpResponse<String> configprops = api("GET", "/actuator/configprops", ops, null);
		assertThat(configprops.body()).as("/configprops shows ordinary values").contains("jdbc:postgresql://");
		assertNoSecretIn(configprops.body());
		for (String endpoint : List.of("/actuator/info", "/actuator/health", "/actuator/secrets",
				"/actuator/env/spring.datasource.password", "/actuator/env/secrets.file.crypto_key",
				"/actuator/configprops/spring.datasource")) {
			HttpResponse<String> other = api("GET", endpoint, ops, null);
			assertThat(other.statusCode()).as(endpoint).isEqualTo(200);
			assertNoSecretIn(other.body());
		}
	}

	private static List<String> bodies(String token) throws Exception {
		return json.readTree(api("GET", "/api/notes", token, null).body()).findValuesAsString("body");
	}

	private static String issue(String subject, String tenant, String... roles) {
		return app.getBean(TokenIssuer.class).issue(subject, tenant, List.of(roles));
	}

	private static HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody())
			.header("Content-Type", "application/json");
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void assertNoSecretIn(String text) throws Exception {
		for (String name : GenerateSecrets.names()) {
			if (!name.equals("google_oauth_client_id")) {
				for (String form : leakForms(read(name))) {
					assertThat(text).as(name).doesNotContain(form);
				}
			}
		}
	}

	/** A secret as written, Base64 (standard, unpadded, URL-safe), URL-encoded and hex. */
	private static List<String> leakForms(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		return List.of(value, Base64.getEncoder().encodeToString(bytes),
				Base64.getEncoder().withoutPadding().encodeToString(bytes),
				Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
				java.net.URLEncoder.encode(value, StandardCharsets.UTF_8), java.util.HexFormat.of().formatHex(bytes));
	}

	static String read(String name) throws Exception {
		String value = Files.readString(secrets.resolve(name));
		return value.substring(0, value.length() - 1);
	}

	/**
	 * A browser: keeps cookies per host and signs in at the local provider's login form.
	 */
	private static final class Browser {

		private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

		private final HttpClient following;

		private final HttpClient notFollowing;

		Browser() {
			CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
			this.following = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NORMAL).build();
			this.notFollowing = HttpClient.newBuilder().cookieHandler(cookies).build();
		}

		HttpResponse<String> get(String url, boolean follow) throws Exception {
			return (follow ? this.following : this.notFollowing).send(
					HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").build(),
					HttpResponse.BodyHandlers.ofString());
		}

		String signIn() throws Exception {
			HttpResponse<String> loginPage = get(base + "/token", true);
			Matcher csrf = CSRF.matcher(loginPage.body());
			assertThat(csrf.find()).as("login form of the provider: " + loginPage.uri()).isTrue();
			String form = "username=" + encode(LocalServices.DEMO_USER) + "&password="
					+ encode(LocalServices.demoPassword(secrets)) + "&_csrf=" + encode(csrf.group(1));
			HttpResponse<String> afterLogin = this.following.send(HttpRequest.newBuilder(loginPage.uri().resolve("/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Accept", "text/html")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(afterLogin.uri().toString()).as("back at the sample after the code exchange")
				.startsWith(base + "/token");
			HttpResponse<String> token = this.following.send(HttpRequest.newBuilder(URI.create(base + "/token"))
				.header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
			Map<?, ?> body = json.readValue(token.body(), Map.class);
			assertThat(body.get("tenant")).isEqualTo("tenant-a.test");
			return (String) body.get("token");
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

	/**
	 * Copies what is printed to the console into a buffer, for the leak check.
	 */
	private static final class TeeStream extends OutputStream {

		private final OutputStream first;

		private final OutputStream second;

		TeeStream(OutputStream first, OutputStream second) {
			this.first = first;
			this.second = second;
		}

		@Override
		public void write(int b) throws IOException {
			this.first.write(b);
			this.second.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.first.write(bytes, offset, length);
			this.second.write(bytes, offset, length);
		}

	}

}
