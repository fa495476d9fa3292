package dev.mountedsecrets.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mountedsecrets.MaskedFailure;
import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.ServedSecrets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;

/**
 * Masks the result of every operation of every actuator endpoint (Boot's, the starter's, the
 * application's own) while it is still an object, before any writer turns it into bytes. Boot
 * wraps every operation it exposes, over HTTP (MVC or WebFlux, any path spelling, servlet
 * path, context path or management port) or JMX, with the {@link OperationInvokerAdvisor}
 * beans, so the same masking covers every channel, and no encoding a writer may apply (JSON
 * or YAML escapes, a charset) has to be known.
 * <ul>
 * <li>text (a {@code String}, whatever content type it is produced as) is masked as text
 * ({@link ServedSecrets#mask(String)});</li>
 * <li>any other object is turned into the tree its JSON writer would write
 * ({@link ResultTrees}), whose strings and field names are masked, and numbers equal to a
 * served value; the masked tree is the result. A result Boot writes with the endpoints' own
 * mapper ({@link OperationResponseBody}, most of Boot's endpoints) is first looked at as its
 * serializers give each value to the writer, and answered as it is when none shows a secret,
 * the common case ({@link ResultTrees#showsNoSecret}): no tree;</li>
 * <li>{@code byte[]} and a {@code Resource} ({@code /logfile}) are read whole and masked as
 * UTF-8 text before any range of them is sent; content that is not UTF-8 text, or a
 * resource larger than {@value #MAX_RESOURCE_BYTES} bytes, is refused with
 * {@value #REFUSED}, never sent unmasked;</li>
 * <li>a {@link WebEndpointResponse} keeps its status and content type, its body masked; a
 * {@code Mono} or {@code Flux} is masked as it emits.</li>
 * </ul>
 * {@code /heapdump} is left as it is: no masking can apply to a heap dump
 * ({@link HeapDumpWarning}).
 */
public class SecretsMaskingAdvisor implements OperationInvokerAdvisor {

	/** The status of a result that cannot be masked safely. */
	public static final int REFUSED = 403;

	/** Largest resource read whole to be masked; a larger one is refused. */
	public static final long MAX_RESOURCE_BYTES = 64L * 1024 * 1024;

	private static final EndpointId HEAPDUMP = EndpointId.of("heapdump");

	private static final Log logger = LogFactory.getLog(SecretsMaskingAdvisor.class);

	private static final boolean REACTOR = ClassUtils.isPresent("reactor.core.publisher.Mono",
			SecretsMaskingAdvisor.class.getClassLoader());

	private final MountedSecrets secrets;

	private final Supplier<@Nullable ResultTrees> trees;

	/** The endpoints whose refused result was already reported: one warning each. */
	private final Set<EndpointId> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Create the advisor.
	 * @param secrets the secrets in use
	 * @param trees the trees of results, asked at the first result that needs one; none
	 * available, such a result is refused
	 */
	public SecretsMaskingAdvisor(MountedSecrets secrets, Supplier<@Nullable ResultTrees> trees) {
		this.secrets = secrets;
		this.trees = trees;
	}

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (HEAPDUMP.equals(endpointId)) {
			return invoker;
		}
		return (context) -> {
			Object result;
			Object masked;
			try {
				result = invoker.invoke(context);
				// the result's own failures too: a getter that throws while it is written, a
				// graph too deep, each described by Jackson with the path of keys to it
				masked = mask(result);
			}
			catch (RuntimeException | Error ex) {
				throw unchecked(masked(ex));
			}
			if (masked != result && masked instanceof WebEndpointResponse<?> response
					&& response.getStatus() == REFUSED && response.getBody() == null && this.warned.add(endpointId)) {
				logger.warn("The result of the " + endpointId + " actuator endpoint was refused (" + REFUSED
						+ "): served secrets cannot be masked in it (bytes that are not UTF-8 text, a resource larger"
						+ " than " + MAX_RESOURCE_BYTES + " bytes, or an object while no Jackson mapper is available)."
						+ " For the log file, write it in UTF-8 (logging.charset.file) and let it roll"
						+ " (logging.logback.rollingpolicy.max-file-size). Said once per endpoint.");
			}
			return masked;
		};
	}

	/**
	 * A failure of an operation, masked if it shows a secret: its message reaches the client
	 * (JMX gives it to the caller; HTTP shows it with {@code spring.web.error.include-message}),
	 * thrown or signalled by a {@code Mono} or {@code Flux}, an exception or an {@code Error}
	 * (an {@code AssertionError}; the masked copy of one is a {@link MaskedFailure}).
	 * A bad request stays a bad request (400).
	 */
	private Throwable masked(Throwable failure) {
		ServedSecrets served = this.secrets.servedSecrets();
		if (served.size() == 0 || !MaskedFailure.showsSecret(failure, served)) {
			return failure;
		}
		if (failure instanceof InvalidEndpointRequestException invalid) {
			String reason = invalid.getReason();
			return new InvalidEndpointRequestException(served.mask(String.valueOf(invalid.getMessage())),
					(reason != null) ? served.mask(reason) : served.mask(String.valueOf(invalid.getMessage())));
		}
		return MaskedFailure.of(failure, served);
	}

	/** An operation's failure, thrown again: what {@link #masked} gives for one it caught is unchecked. */
	private static RuntimeException unchecked(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (RuntimeException) failure;
	}

	private @Nullable Object mask(@Nullable Object result) {
		ServedSecrets served = this.secrets.servedSecrets();
		if (result == null || served.size() == 0) {
			return result;
		}
		if (REACTOR && Reactive.isPublisher(result)) {
			return Reactive.map(result, this::mask, this::masked);
		}
		return maskResult(result, served);
	}

	private @Nullable Object maskResult(Object result, ServedSecrets served) {
		if (result instanceof WebEndpointResponse<?> response) {
			Object body = response.getBody();
			if (body == null) {
				return response;
			}
			Object masked = maskResult(body, served);
			if (masked == body) {
				return response;
			}
			if (masked instanceof WebEndpointResponse<?> refused) {
				return refused;
			}
			return new WebEndpointResponse<>(masked, response.getStatus(), response.getContentType());
		}
		if (result instanceof CharSequence text) {
			return served.mask(text.toString());
		}
		if (result instanceof byte[] bytes) {
			byte[] masked = maskText(bytes, served);
			return (masked != null) ? masked : refused();
		}
		if (result instanceof Resource resource) {
			return maskResource(resource, served);
		}
		ResultTrees trees = this.trees.get();
		if (trees == null) {
			return refused();
		}
		if (result instanceof OperationResponseBody body && trees.showsNoSecret(body, served)) {
			return result;
		}
		return maskTree(trees.toTree(result), served);
	}

	private static Object maskResource(Resource resource, ServedSecrets served) {
		byte[] content;
		try (InputStream in = resource.getInputStream()) {
			content = in.readNBytes((int) MAX_RESOURCE_BYTES + 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Reading " + resource.getDescription() + " failed", ex);
		}
		byte[] masked = (content.length <= MAX_RESOURCE_BYTES) ? maskText(content, served) : null;
		return (masked != null) ? new ByteArrayResource(masked, resource.getDescription()) : refused();
	}

	/**
	 * Bytes masked as UTF-8 text; {@code null} when they are not UTF-8 text: undecodable, or
	 * holding a NUL, as UTF-16 and UTF-32 text does, in which a secret would not be found.
	 */
	private static byte @Nullable [] maskText(byte[] bytes, ServedSecrets served) {
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		if (text.indexOf('\0') >= 0) {
			return null;
		}
		String masked = served.mask(text);
		return (masked == text) ? bytes : masked.getBytes(StandardCharsets.UTF_8);
	}

	private static @Nullable Object maskTree(@Nullable Object node, ServedSecrets served) {
		if (node instanceof String text) {
			return served.mask(text);
		}
		if (node instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> masked = new LinkedHashMap<>();
			map.forEach((key, value) -> masked.put(served.mask(String.valueOf(key)), maskTree(value, served)));
			return masked;
		}
		if (node instanceof List<?> list) {
			List<@Nullable Object> masked = new ArrayList<>(list.size());
			list.forEach((element) -> masked.add(maskTree(element, served)));
			return masked;
		}
		if (node instanceof Number number && served.shows(number)) {
			return ServedSecrets.MASK;
		}
		return node;
	}

	private static WebEndpointResponse<?> refused() {
		return new WebEndpointResponse<>(REFUSED);
	}

	/** Reactor's types, only touched when Reactor is on the class path. */
	private static final class Reactive {

		static boolean isPublisher(Object result) {
			return result instanceof Mono || result instanceof Flux;
		}

		static Object map(Object result, Function<Object, @Nullable Object> mask,
				Function<Throwable, Throwable> maskFailure) {
			if (result instanceof Mono<?> mono) {
				return mono.mapNotNull(mask).onErrorMap(maskFailure);
			}
			return ((Flux<?>) result).mapNotNull(mask).onErrorMap(maskFailure);
		}

	}

}
