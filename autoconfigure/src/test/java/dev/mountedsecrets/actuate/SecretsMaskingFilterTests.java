package dev.mountedsecrets.actuate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import dev.mountedsecrets.ServedSecrets;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response filter: a served secret in an actuator body is masked, and a body found clean
 * once is found clean again only while it is the same and no new value was served.
 */
class SecretsMaskingFilterTests {

	private static final String KEY = "Filter-Key-7c2e9a41d0";

	private static final String LATER = "Filter-Later-3b8f6e1a27";

	@TempDir
	Path dir;

	private final StandardEnvironment environment = new StandardEnvironment();

	private SecretsMaskingFilter filter;

	@BeforeEach
	void secrets() {
		SecretsSnapshot snapshot = new SecretsSnapshot(this.dir, true,
				Map.of("crypto_key", new SecretFile("crypto_key", this.dir.resolve("crypto_key"), KEY)), List.of(),
				List.of());
		this.environment.getPropertySources()
			.addLast(new SecretsPropertySource(snapshot, SecretMappings.withOverrides(Map.of())));
		this.filter = new SecretsMaskingFilter(new MountedSecrets(this.environment, new SecretsProperties()),
				"/actuator");
	}

	@Test
	void filterWhenBodyShowsSecretMasksItEveryTime() throws Exception {
		String shown = large("\"value\":\"" + KEY + "\"");
		for (int i = 0; i < 3; i++) {
			assertThat(get("/actuator/env", shown)).doesNotContain(KEY).contains("\"value\":\"******\"");
		}
	}

	@Test
	void filterWhenRegistryReplacedSearchesTheSameBodyAgain() throws Exception {
		String shown = large("\"value\":\"" + LATER + "\"");
		assertThat(get("/actuator/env", shown)).isEqualTo(shown);
		// a source with a registry of its own (not the folder's): the same number of values,
		// other values
		SecretsSnapshot snapshot = new SecretsSnapshot(this.dir, true,
				Map.of("crypto_key", new SecretFile("crypto_key", this.dir.resolve("crypto_key"), LATER)), List.of(),
				List.of());
		this.environment.getPropertySources()
			.replace(SecretsPropertySource.NAME,
					new SecretsPropertySource(snapshot, SecretMappings.withOverrides(Map.of()), new ServedSecrets()));
		assertThat(ServedSecrets.in(this.environment).size()).isEqualTo(1);
		assertThat(get("/actuator/env", shown)).doesNotContain(LATER).contains("\"value\":\"******\"");
	}

	@Test
	void filterWhenSameBodyAgainAfterItsTextWasServedMasksIt() throws Exception {
		String shown = large("\"value\":\"" + LATER + "\"");
		assertThat(get("/actuator/env", shown)).isEqualTo(shown);
		assertThat(get("/actuator/env", shown)).isEqualTo(shown);
		// a rotation serves the value the page already showed: the same bytes are searched again
		ServedSecrets.in(this.environment).record(List.of(LATER));
		assertThat(get("/actuator/env", shown)).doesNotContain(LATER).contains("\"value\":\"******\"");
	}

	@Test
	void filterWhenBodyChangesForTheSameRequestSearchesTheNewOne() throws Exception {
		String clean = large("\"value\":\"ordinary\"");
		assertThat(get("/actuator/env", clean)).isEqualTo(clean);
		assertThat(get("/actuator/env", large("\"value\":\"" + KEY + "\""))).doesNotContain(KEY);
		// same length, one character different
		String other = large("\"value\":\"ordinarY\"");
		assertThat(get("/actuator/env", other)).isEqualTo(other);
	}

	@Test
	void filterWhenOutsideTheActuatorLeavesTheBody() throws Exception {
		String body = large("\"value\":\"" + KEY + "\"");
		assertThat(get("/app/page", body)).isEqualTo(body);
	}

	private String get(String uri, String body) throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		MockHttpServletResponse response = new MockHttpServletResponse();
		HttpServlet endpoint = new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
				resp.setContentType("application/json");
				resp.setCharacterEncoding("UTF-8");
				resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
			}

		};
		this.filter.doFilter(request, response, new MockFilterChain(endpoint));
		return response.getContentAsString(StandardCharsets.UTF_8);
	}

	/** A JSON body larger than the filter keeps, with the given member among ordinary ones. */
	private static String large(String member) {
		StringBuilder body = new StringBuilder("{");
		for (int i = 0; body.length() < CleanBodies.MIN_LENGTH * 2; i++) {
			body.append("\"property.").append(i).append("\":{\"value\":\"ordinary ").append(i).append("\"},");
		}
		return body.append(member).append('}').toString();
	}

}
