package dev.mountedsecrets.sample.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The local OAuth2 provider standing in for Google: Spring Authorization Server with Boot's
 * defaults, the demo users of two tenants (password in {@value LocalServices#DEMO_PASSWORD_FILE}),
 * and one registered client, {@code google}, whose id and secret are the sample's
 * {@code google_oauth_client_id}/{@code _secret} files. {@link LocalServices} starts it on
 * loopback for the embedded run; {@link #main} runs it as the {@code provider} service of
 * {@code compose.local-provider.yaml}.
 */
public final class LocalProvider {

	/** Auto-configurations that the provider, an authorization server only, does not need. */
	static final String EXCLUDES = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
			+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration,"
			+ "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration";

	private LocalProvider() {
	}

	/**
	 * Start the provider.
	 * @param secrets the folder with {@code google_oauth_client_id}, {@code _secret} and the demo password
	 * @param address the address to listen on
	 * @param port the port to listen on
	 * @param issuer the issuer: what the sample's {@code issuer-uri} names and the tokens' {@code iss}
	 * @param browserUrl where browsers reach the provider, if not at the issuer (else {@code null})
	 * @param appUrl where browsers reach the sample, for the redirect URIs
	 * @return the running provider
	 * @throws IOException if a secret file cannot be read
	 */
	public static ConfigurableApplicationContext start(Path secrets, String address, int port, String issuer,
			String browserUrl, String appUrl) throws IOException {
		String client = "--spring.security.oauth2.authorizationserver.client.google.";
		List<String> args = new ArrayList<>(List.of("--spring.config.name=local-provider",
				"--server.port=" + port, "--server.address=" + address, "--secrets.enabled=false",
				"--spring.autoconfigure.exclude=" + EXCLUDES,
				"--spring.security.oauth2.authorizationserver.issuer=" + issuer,
				"--local.users=" + LocalServices.DEMO_USER + "," + LocalServices.OTHER_USER,
				"--local.password={bcrypt}" + bcrypt(LocalServices.demoPassword(secrets)),
				client + "registration.client-id=" + LocalServices.read(secrets, "google_oauth_client_id"),
				client + "registration.client-secret={bcrypt}"
						+ bcrypt(LocalServices.read(secrets, "google_oauth_client_secret")),
				client + "registration.client-authentication-methods=client_secret_basic",
				client + "registration.authorization-grant-types=authorization_code",
				client + "registration.redirect-uris=" + appUrl + "/login/oauth2/code/google",
				client + "registration.post-logout-redirect-uris=" + appUrl + "/signed-out",
				client + "registration.scopes=openid,email,profile", client + "require-authorization-consent=false",
				"--logging.level.org.apache.coyote.http11=INFO"));
		if (browserUrl != null) {
			args.add("--local.browser-url=" + browserUrl);
		}
		SpringApplication application = new SpringApplication(LocalOAuth2Provider.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		// Its own configuration name keeps the sample's application.yml out of it.
		return application.run(args.toArray(String[]::new));
	}

	/**
	 * The provider as a Compose service, e.g. {@code --issuer=http://provider:9000
	 * --browser-url=http://127.0.0.1:9000 --app-url=http://localhost:8080}; the files are read
	 * from {@code --secrets-dir} (default {@code /run/secrets}).
	 * @param args {@code --name=value} options
	 * @throws IOException if a secret file cannot be read
	 */
	public static void main(String[] args) throws IOException {
		Map<String, String> options = new LinkedHashMap<>(Map.of("secrets-dir", "/run/secrets", "address", "0.0.0.0",
				"port", "9000", "app-url", "http://localhost:8080"));
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
			}
			options.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		Set<String> known = Set.of("secrets-dir", "address", "port", "issuer", "browser-url", "app-url");
		if (!known.containsAll(options.keySet()) || !options.containsKey("issuer")) {
			throw new IllegalArgumentException("Options: --issuer=URL (required), --browser-url=URL, --app-url=URL,"
					+ " --secrets-dir=DIR, --address=IP, --port=N; got " + options.keySet());
		}
		start(Path.of(options.get("secrets-dir")), options.get("address"), Integer.parseInt(options.get("port")),
				options.get("issuer"), options.get("browser-url"), options.get("app-url"));
	}

	private static String bcrypt(String secret) {
		return new BCryptPasswordEncoder().encode(secret);
	}

	/**
	 * Spring Authorization Server with Boot's defaults and the demo users.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class LocalOAuth2Provider {

		// The sample's component scan finds this class too: only the provider, run with these users, has them.
		@Bean
		@ConditionalOnProperty("local.users")
		InMemoryUserDetailsManager localUsers(@Value("${local.users}") List<String> users,
				@Value("${local.password}") String password) {
			return new InMemoryUserDetailsManager(
					users.stream().map((user) -> User.withUsername(user).password(password).roles("USER").build()).toList());
		}

		/**
		 * When browsers and the sample reach the provider at different addresses (Compose: the
		 * browser at {@code 127.0.0.1:9000}, the sample's container at {@code provider:9000}):
		 * Boot's two filter chains, with the discovery document sending browsers to
		 * {@code local.browser-url} for sign-in and sign-out. The issuer, the token, key and
		 * user-info endpoints stay at the issuer, where the sample's server reaches them.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnProperty("local.browser-url")
		static class SplitAddresses {

			@Bean
			@Order(Ordered.HIGHEST_PRECEDENCE)
			SecurityFilterChain authorizationServer(HttpSecurity http, @Value("${local.browser-url}") String browser)
					throws Exception {
				MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
				html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
				http.oauth2AuthorizationServer((server) -> {
					http.securityMatcher(server.getEndpointsMatcher());
					server.oidc((oidc) -> oidc.providerConfigurationEndpoint((discovery) -> discovery
						.providerConfigurationCustomizer((document) -> document
							.authorizationEndpoint(browser + "/oauth2/authorize")
							.endSessionEndpoint(browser + "/connect/logout"))));
				})
					.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
					.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
					.exceptionHandling((exceptions) -> exceptions
						.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), html));
				return http.build();
			}

			@Bean
			@Order(Ordered.HIGHEST_PRECEDENCE + 1)
			SecurityFilterChain signInForm(HttpSecurity http) throws Exception {
				http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
					.formLogin(Customizer.withDefaults());
				return http.build();
			}

		}

	}

}
