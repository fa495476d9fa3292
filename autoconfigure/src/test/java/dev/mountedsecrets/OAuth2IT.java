package dev.mountedsecrets;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The OAuth2 client against a real authorization server (Spring Authorization Server, in
 * this JVM on a random port): the client id and secret come from files, the right secret
 * gets a token and a wrong one gets {@code invalid_client}. The default {@code google}
 * registration sends the browser to Google with the client id from its file.
 */
@ExtendWith(OutputCaptureExtension.class)
class OAuth2IT {

	private static final String CLIENT_ID = "orders-client";

	private static final String CLIENT_SECRET = "OAuth-Secret-7f3e1a90b2c4";

	private static final String WRONG_SECRET = "OAuth-Wrong-28b6c0d9";

	private static final String GOOGLE_CLIENT_ID = "1234-wired.apps.googleusercontent.com";

	private static final String GOOGLE_CLIENT_SECRET = "Google-Secret-c0ffee4d5e";

	/** Auto-configurations the test applications do not need, and that would need servers. */
	static final String EXCLUDED = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
			+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration";

	private static ConfigurableApplicationContext authorizationServer;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startAuthorizationServer() {
		String client = "--spring.security.oauth2.authorizationserver.client.orders.registration.";
		authorizationServer = TestApplications
			.application(AuthorizationServerApplication.class, WebApplicationType.SERVLET, Map.of())
			.run("--server.port=0", "--secrets.enabled=false", "--spring.autoconfigure.exclude=" + EXCLUDED,
					client + "client-id=" + CLIENT_ID,
					client + "client-secret={bcrypt}" + new BCryptPasswordEncoder().encode(CLIENT_SECRET),
					client + "client-authentication-methods=client_secret_basic",
					client + "authorization-grant-types=client_credentials", client + "scopes=orders.read");
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Test
	void authorizeWhenSecretRightObtainsToken(CapturedOutput output) {
		SecretFiles.write(this.secrets, "orders_client_id", CLIENT_ID);
		SecretFiles.write(this.secrets, "orders_client_secret", CLIENT_SECRET);
		try (ConfigurableApplicationContext context = runClient()) {
			OAuth2AuthorizedClient client = authorize(context);
			assertThat(client.getAccessToken().getTokenValue()).isNotBlank();
			assertThat(client.getAccessToken().getScopes()).containsExactly("orders.read");
			assertThat(client.getClientRegistration().getClientId()).isEqualTo(CLIENT_ID);
		}
		assertThat(output.getAll()).contains(" TRACE ").doesNotContain(CLIENT_SECRET).doesNotContain(basicAuth(CLIENT_SECRET));
	}

	@Test
	void authorizeWhenSecretWrongGetsInvalidClient(CapturedOutput output) {
		SecretFiles.write(this.secrets, "orders_client_id", CLIENT_ID);
		SecretFiles.write(this.secrets, "orders_client_secret", WRONG_SECRET);
		try (ConfigurableApplicationContext context = runClient()) {
			// The server answers 401 invalid_client; Spring Security reports it inside a token-response error.
			// The reason phrase after 401 depends on the HTTP client in use (none from Reactor Netty).
			assertThatExceptionOfType(OAuth2AuthorizationException.class).isThrownBy(() -> authorize(context))
				.withMessageContaining(": 401 ")
				.withMessageContaining("{\"error\":\"invalid_client\"}")
				.satisfies((ex) -> assertThat(ex.toString()).doesNotContain(WRONG_SECRET));
		}
		assertThat(output.getAll()).doesNotContain(WRONG_SECRET)
			.doesNotContain(basicAuth(WRONG_SECRET))
			.doesNotContain(CLIENT_SECRET);
	}

	@Test
	void loginWhenGoogleRegistrationFromFilesRedirectsWithClientId(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "google_oauth_client_id", GOOGLE_CLIENT_ID);
		SecretFiles.write(this.secrets, "google_oauth_client_secret", GOOGLE_CLIENT_SECRET);
		try (ConfigurableApplicationContext context = TestApplications
			.application(WebLoginApplication.class, WebApplicationType.SERVLET, Map.of())
			.run("--server.port=0", "--secrets.dir=" + this.secrets, "--spring.autoconfigure.exclude=" + EXCLUDED,
					"--logging.level.root=TRACE")) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<Void> response = HttpClient.newBuilder()
				.followRedirects(HttpClient.Redirect.NEVER)
				.build()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/authorization/google"))
					.build(), HttpResponse.BodyHandlers.discarding());
			assertThat(response.statusCode()).isEqualTo(302);
			String location = response.headers().firstValue("Location").orElseThrow();
			assertThat(location).startsWith("https://accounts.google.com/o/oauth2/v2/auth?")
				.contains("client_id=" + GOOGLE_CLIENT_ID)
				.doesNotContain(GOOGLE_CLIENT_SECRET);
		}
		assertThat(output.getAll()).contains(" TRACE ").doesNotContain(GOOGLE_CLIENT_SECRET);
	}

	private ConfigurableApplicationContext runClient() {
		String registration = "spring.security.oauth2.client.registration.orders.";
		String port = authorizationServer.getEnvironment().getProperty("local.server.port");
		return TestApplications.application(ClientApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--secrets.mappings.orders_client_id=" + registration + "client-id",
					"--secrets.mappings.orders_client_secret=" + registration + "client-secret",
					"--" + registration + "authorization-grant-type=client_credentials",
					"--" + registration + "client-authentication-method=client_secret_basic",
					"--" + registration + "scope=orders.read",
					"--spring.security.oauth2.client.provider.orders.token-uri=http://localhost:" + port
							+ "/oauth2/token",
					"--logging.level.root=TRACE",
					// The authorization server's Tomcat shares this JVM only for the test and logs the
					// requests it receives; the client's own loggers stay at TRACE.
					"--logging.level.org.apache.coyote.http11=INFO");
	}

	private static String basicAuth(String secret) {
		return java.util.Base64.getEncoder()
			.encodeToString((CLIENT_ID + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static OAuth2AuthorizedClient authorize(ConfigurableApplicationContext context) {
		return context.getBean(AuthorizedClientServiceOAuth2AuthorizedClientManager.class)
			.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("orders").principal("orders-job").build());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AuthorizationServerApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebLoginApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ OAuth2ClientAutoConfiguration.class, MountedSecretsAutoConfiguration.class })
	static class ClientApplication {

		@Bean
		AuthorizedClientServiceOAuth2AuthorizedClientManager authorizedClientManager(
				ClientRegistrationRepository registrations, OAuth2AuthorizedClientService clients) {
			return new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
		}

	}

}
