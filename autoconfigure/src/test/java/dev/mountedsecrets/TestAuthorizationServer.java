package dev.mountedsecrets;

import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * A real OAuth2 authorization server (Spring Authorization Server, Boot's defaults) on a
 * loopback port, with one client for the client-credentials grant whose secret a test can
 * change, as an operator rotates it on the server side before the file.
 */
final class TestAuthorizationServer implements AutoCloseable {

	static final String CLIENT_ID = "orders-client";

	private final ConfigurableApplicationContext context;

	private TestAuthorizationServer(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static TestAuthorizationServer start(String clientSecret) {
		ConfigurableApplicationContext context = TestApplications
			.application(AuthorizationServerApplication.class, WebApplicationType.SERVLET, Map.of())
			.run("--server.port=0", "--secrets.enabled=false", "--spring.autoconfigure.exclude=" + OAuth2IT.EXCLUDED);
		TestAuthorizationServer server = new TestAuthorizationServer(context);
		server.useClientSecret(clientSecret);
		return server;
	}

	/**
	 * From now on, the server accepts only this client secret.
	 * @param secret the secret
	 */
	void useClientSecret(String secret) {
		this.context.getBean(SwappableClients.class).use(secret);
	}

	String tokenUri() {
		return "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + "/oauth2/token";
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AuthorizationServerApplication {

		@Bean
		SwappableClients registeredClients() {
			return new SwappableClients();
		}

	}

	/**
	 * The authorization server's client store, whose secret the test rotates.
	 */
	static class SwappableClients implements RegisteredClientRepository {

		private volatile InMemoryRegisteredClientRepository delegate = clients("{noop}not-in-use-" + System.nanoTime());

		void use(String secret) {
			this.delegate = clients("{bcrypt}" + new BCryptPasswordEncoder().encode(secret));
		}

		private static InMemoryRegisteredClientRepository clients(String encodedSecret) {
			return new InMemoryRegisteredClientRepository(RegisteredClient.withId("orders")
				.clientId(CLIENT_ID)
				.clientSecret(encodedSecret)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scope("orders.read")
				.build());
		}

		@Override
		public void save(RegisteredClient registeredClient) {
			this.delegate.save(registeredClient);
		}

		@Override
		public RegisteredClient findById(String id) {
			return this.delegate.findById(id);
		}

		@Override
		public RegisteredClient findByClientId(String clientId) {
			return this.delegate.findByClientId(clientId);
		}

	}

}
