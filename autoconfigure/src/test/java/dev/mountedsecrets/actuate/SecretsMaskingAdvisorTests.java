package dev.mountedsecrets.actuate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What the advisor does with each kind of result, on a real registry and a real Jackson
 * mapper (the endpoints over every channel are in {@code SecretsMaskingChannelsTests}).
 */
class SecretsMaskingAdvisorTests {

	private static final String SECRET = "Advisor-Secret-\u00e9-91c4d0";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@TempDir
	Path dir;

	private final StandardEnvironment environment = new StandardEnvironment();

	private SecretsMaskingAdvisor advisor;

	@BeforeEach
	void advisor() {
		SecretsSnapshot snapshot = new SecretsSnapshot(this.dir, true,
				Map.of("key", new SecretFile("key", this.dir.resolve("key"), SECRET)), List.of(), List.of());
		this.environment.getPropertySources().addLast(new SecretsPropertySource(snapshot, SecretMappings.withOverrides(Map.of())));
		this.advisor = new SecretsMaskingAdvisor(new MountedSecrets(this.environment, new SecretsProperties()),
				() -> (result) -> mapper.treeToValue(mapper.valueToTree(result), Object.class));
	}

	@Test
	void invokeWhenResultIsObjectGivesItsTreeWithSecretsMasked() throws Exception {
		Object result = invoke("custom", new Shown("visible", Map.of("k " + SECRET, "url=" + SECRET + "&x=1"), 7, true));
		assertThat(result).isEqualTo(Map.of("ordinary", "visible", "values", Map.of("k ******", "url=******&x=1"),
				"count", 7, "flag", true));
	}

	@Test
	void invokeWhenTreesCannotTellGivesTheTreeOfEveryResult() throws Exception {
		assertThat(invoke("custom", new Body("visible"))).as("a body: its tree, which any writer writes")
			.isEqualTo(Map.of("value", "visible"));
		assertThat(invoke("custom", new Body("k=" + SECRET))).isEqualTo(Map.of("value", "k=******"));
		Shown other = new Shown("visible", Map.of(), 1, false);
		assertThat(invoke("custom", other)).as("not written with the endpoints' mapper: the tree checked")
			.isEqualTo(Map.of("ordinary", "visible", "values", Map.of(), "count", 1, "flag", false));
	}

	record Body(String value) implements OperationResponseBody {

	}

	@Test
	void invokeWhenResultIsTextMasksIt() throws Exception {
		assertThat(invoke("custom", "a: \"" + SECRET + "\"\n")).isEqualTo("a: \"******\"\n");
	}

	@Test
	void invokeWhenResultIsWebEndpointResponseKeepsStatusAndContentType() throws Exception {
		Object result = invoke("health",
				new WebEndpointResponse<>(Map.of("detail", SECRET), 503, MimeTypeUtils.APPLICATION_JSON));
		assertThat(result).isInstanceOfSatisfying(WebEndpointResponse.class, (response) -> {
			assertThat(response.getStatus()).isEqualTo(503);
			assertThat(response.getContentType()).isEqualTo(MimeTypeUtils.APPLICATION_JSON);
			assertThat(response.getBody()).isEqualTo(Map.of("detail", ServedSecrets.MASK));
		});
	}

	@Test
	void invokeWhenResultIsReactiveMasksWhatItEmits() throws Exception {
		assertThat(((Mono<?>) invoke("health", Mono.just(Map.of("detail", SECRET)))).block())
			.isEqualTo(Map.of("detail", ServedSecrets.MASK));
		List<?> emitted = ((Flux<?>) invoke("custom", Flux.just("1 " + SECRET, "2"))).collectList().block();
		assertThat(emitted).isEqualTo(List.of("1 ******", "2"));
	}

	@Test
	void invokeWhenResultIsUtf8ResourceMasksTheWholeContentBeforeAnyRange() throws Exception {
		Path log = Files.writeString(this.dir.resolve("app.log"), "line\nkey " + SECRET + " end\n",
				StandardCharsets.UTF_8);
		Object result = invoke("logfile", new FileSystemResource(log));
		assertThat(result).isInstanceOfSatisfying(Resource.class, (resource) -> assertThat(
				new String(contentOf(resource), StandardCharsets.UTF_8))
			.isEqualTo("line\nkey ****** end\n"));
	}

	@Test
	void invokeWhenResourceIsNotUtf8TextRefusesIt() throws Exception {
		for (java.nio.charset.Charset charset : List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16LE,
				StandardCharsets.UTF_16BE)) {
			Path log = Files.writeString(this.dir.resolve("app.log"), "key " + SECRET + " end\n", charset);
			assertThat(invoke("logfile", new FileSystemResource(log))).as(charset.name())
				.isInstanceOfSatisfying(WebEndpointResponse.class, (response) -> {
					assertThat(response.getStatus()).isEqualTo(SecretsMaskingAdvisor.REFUSED);
					assertThat(response.getBody()).isNull();
				});
		}
	}

	@Test
	void invokeWhenBytesAreUtf8TextMasksThemAndOtherwiseRefuses() throws Exception {
		Object masked = invoke("prometheus", ("m{k=\"" + SECRET + "\"} 1\n").getBytes(StandardCharsets.UTF_8));
		assertThat(new String((byte[]) masked, StandardCharsets.UTF_8)).isEqualTo("m{k=\"******\"} 1\n");
		Object refused = invoke("prometheus", SECRET.getBytes(StandardCharsets.ISO_8859_1));
		assertThat(refused).isInstanceOfSatisfying(WebEndpointResponse.class,
				(response) -> assertThat(response.getStatus()).isEqualTo(SecretsMaskingAdvisor.REFUSED));
	}

	@Test
	void invokeWhenNoTreesAvailableRefusesObjectsButMasksText() throws Exception {
		SecretsMaskingAdvisor withoutTrees = new SecretsMaskingAdvisor(
				new MountedSecrets(this.environment, new SecretsProperties()), () -> null);
		OperationInvoker invoker = withoutTrees.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> Map.of("k", SECRET));
		assertThat(invoker.invoke(null)).isInstanceOfSatisfying(WebEndpointResponse.class,
				(response) -> assertThat(response.getStatus()).isEqualTo(SecretsMaskingAdvisor.REFUSED));
	}

	@Test
	void invokeWhenBodyKnownToShowNoSecretGivesItAsTheEndpointGaveItAndMakesNoTree() throws Exception {
		List<Object> treesMade = new java.util.ArrayList<>();
		ResultTrees looking = new ResultTrees() {

			@Override
			public Object toTree(Object result) {
				treesMade.add(result);
				return mapper.treeToValue(mapper.valueToTree(result), Object.class);
			}

			@Override
			public boolean showsNoSecret(OperationResponseBody result, ServedSecrets served) {
				return !served.shows(((Body) result).value());
			}

		};
		SecretsMaskingAdvisor withLook = new SecretsMaskingAdvisor(
				new MountedSecrets(this.environment, new SecretsProperties()), () -> looking);
		Body clean = new Body("visible");
		OperationInvoker cleanInvoker = withLook.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> clean);
		assertThat(cleanInvoker.invoke(null)).isSameAs(clean);
		assertThat(treesMade).isEmpty();
		OperationInvoker shownInvoker = withLook.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> new Body("k=" + SECRET));
		assertThat(shownInvoker.invoke(null)).isEqualTo(Map.of("value", "k=******"));
		assertThat(treesMade).hasSize(1);
	}

	@Test
	void invokeWhenHeapDumpLeavesItAsItIs() throws Exception {
		byte[] dump = SECRET.getBytes(StandardCharsets.UTF_8);
		assertThat(invoke("heapdump", dump)).isSameAs(dump);
	}

	@Test
	void invokeWhenOperationFailsOrSignalsAFailureShowingASecretFailsMasked() {
		OperationInvoker throwing = this.advisor.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> {
					throw new IllegalStateException("boom " + SECRET);
				});
		assertThatThrownBy(() -> throwing.invoke(null)).hasMessage("boom ******").hasToString(
				"java.lang.IllegalStateException: boom ******");
		OperationInvoker signalling = this.advisor.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> Mono.error(new IllegalStateException("later " + SECRET)));
		assertThatThrownBy(() -> ((Mono<?>) signalling.invoke(null)).block()).hasMessage("later ******");
		IllegalStateException clean = new IllegalStateException("clean failure");
		OperationInvoker cleanInvoker = this.advisor.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> {
					throw clean;
				});
		assertThatThrownBy(() -> cleanInvoker.invoke(null)).isSameAs(clean);
	}

	@Test
	void invokeWhenOperationFailsWithAnErrorShowingASecretFailsMasked() {
		OperationInvoker throwing = this.advisor.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> {
					throw new AssertionError("bad token " + SECRET, new IllegalStateException("cause " + SECRET));
				});
		assertThatThrownBy(() -> throwing.invoke(null)).hasMessage("bad token ******")
			.hasToString("java.lang.AssertionError: bad token ******")
			.rootCause()
			.hasMessage("cause ******");
		OperationInvoker signalling = this.advisor.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> Mono.error(new AssertionError("later " + SECRET)));
		assertThatThrownBy(() -> ((Mono<?>) signalling.invoke(null)).block()).hasMessageContaining("later ******")
			.hasMessageNotContaining(SECRET);
		AssertionError clean = new AssertionError("clean error");
		OperationInvoker cleanInvoker = this.advisor.apply(EndpointId.of("custom"), OperationType.READ, parameters(),
				(context) -> {
					throw clean;
				});
		assertThatThrownBy(() -> cleanInvoker.invoke(null)).isSameAs(clean);
	}

	@Test
	void invokeWhenTheResultFailsAsItIsWrittenFailsMasked() {
		// a getter that throws while the result is written (Jackson describes it with the
		// path of keys to it, and keeps it as the cause)
		for (Object result : List.of(new ThrowingGetter(), Map.of(SECRET, new ThrowingGetter()))) {
			Throwable failure = catchThrowable(() -> invoke("custom", result));
			assertThat(failure).as(result.getClass().getName()).isNotNull();
			for (Throwable level = failure; level != null; level = level.getCause()) {
				assertThat(String.valueOf(level.getMessage())).doesNotContain(SECRET);
				assertThat(level.toString()).doesNotContain(SECRET);
			}
		}
	}

	/** A result whose getter fails with a secret in its message. */
	public static class ThrowingGetter {

		public String getToken() {
			throw new IllegalStateException("token " + SECRET + " expired");
		}

	}

	private Object invoke(String endpoint, Object result) throws Exception {
		OperationInvoker invoker = this.advisor.apply(EndpointId.of(endpoint), OperationType.READ, parameters(),
				(context) -> result);
		return invoker.invoke(null);
	}

	private static OperationParameters parameters() {
		return new OperationParameters() {

			@Override
			public int getParameterCount() {
				return 0;
			}

			@Override
			public org.springframework.boot.actuate.endpoint.invoke.OperationParameter get(int index) {
				throw new IndexOutOfBoundsException(index);
			}

			@Override
			public java.util.Iterator<org.springframework.boot.actuate.endpoint.invoke.OperationParameter> iterator() {
				return java.util.Collections.emptyIterator();
			}

			@Override
			public java.util.stream.Stream<org.springframework.boot.actuate.endpoint.invoke.OperationParameter> stream() {
				return java.util.stream.Stream.empty();
			}

		};
	}

	private static byte[] contentOf(Resource resource) {
		try (java.io.InputStream in = resource.getInputStream()) {
			return in.readAllBytes();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	record Shown(String ordinary, Map<String, String> values, int count, boolean flag) {

	}

}
