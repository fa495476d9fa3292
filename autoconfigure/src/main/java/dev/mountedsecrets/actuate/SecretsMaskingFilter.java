package dev.mountedsecrets.actuate;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.ServedSecrets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Last line of defence for every actuator response, whatever the endpoint ({@code /info},
 * {@code /beans}, {@code /conditions}, {@code /metrics}, an endpoint of the application's
 * own): a served secret that appears in a textual response body, in clear or in one of the
 * encoded forms looked for, is replaced by {@code ******}. Comes in addition to the
 * {@link SecretsSanitizingFunction}, which masks whole values by meaning. Binary responses
 * ({@code /heapdump}) are left as they are. A body identical to the last one found clean for
 * the same request, against the same values, is not searched again ({@link CleanBodies}).
 */
public class SecretsMaskingFilter extends OncePerRequestFilter implements Ordered {

	private final MountedSecrets secrets;

	private final String basePath;

	private final CleanBodies cleanBodies = new CleanBodies();

	/**
	 * Create the filter.
	 * @param secrets the secrets in use
	 * @param basePath the actuator's base path, {@code management.endpoints.web.base-path}
	 */
	public SecretsMaskingFilter(MountedSecrets secrets, String basePath) {
		this.secrets = secrets;
		this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.endsWith("/heapdump")) {
			// binary, possibly gigabytes: never buffered; the start-up warning covers it
			return true;
		}
		return !this.basePath.isEmpty() && !(path.equals(this.basePath) || path.startsWith(this.basePath + "/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(request, wrapper);
		}
		finally {
			mask(request, wrapper);
			wrapper.copyBodyToResponse();
		}
	}

	private void mask(HttpServletRequest request, ContentCachingResponseWrapper response) throws IOException {
		String contentType = response.getContentType();
		if (contentType == null || !isText(contentType)) {
			return;
		}
		Charset charset = charset(response.getCharacterEncoding());
		byte[] content = response.getContentAsByteArray();
		String key = request.getRequestURI() + "?" + request.getQueryString() + " " + charset.name();
		// one registry for the whole step, its size read before the search: values are only
		// added, so the body is remembered with a size that can only be lower than the one it
		// was searched for, never higher
		ServedSecrets served = this.secrets.servedSecrets();
		int size = served.size();
		if (this.cleanBodies.isKnownClean(key, content, served, size)) {
			return;
		}
		String body = new String(content, charset);
		String masked = served.mask(body);
		if (masked == body) {
			// mask gives the same instance back when the body shows no secret
			this.cleanBodies.remember(key, content, served, size);
			return;
		}
		response.resetBuffer();
		response.getOutputStream().write(masked.getBytes(charset));
	}

	private static boolean isText(String contentType) {
		String type = contentType.toLowerCase(java.util.Locale.ROOT);
		return type.startsWith("text/") || type.contains("json") || type.contains("xml")
				|| type.contains("x-www-form-urlencoded");
	}

	private static Charset charset(String encoding) {
		try {
			return Charset.forName(encoding);
		}
		catch (RuntimeException ex) {
			return StandardCharsets.UTF_8;
		}
	}

}
