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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a newcomer's browser does with the sample started by the README's run command, over
 * plain HTTP (form login, redirects, cookies): opens the sample, is sent to the local OAuth2
 * provider's sign-in form, signs in, comes back signed in, then uses one page that reads and
 * writes the database (a note, under row-level security) and one that uses Redis (the visit
 * counter). Exits 0 when every step answered as a person would expect, 1 otherwise. The
 * password is read from its file and never printed.
 *
 * <pre>java .ci/NewcomerSignIn.java http://localhost:8080 alice@tenant-a.test sample-app/secrets/local_login_password</pre>
 */
public final class NewcomerSignIn {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.followRedirects(HttpClient.Redirect.NORMAL)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: java NewcomerSignIn.java BASE_URL USER PASSWORD_FILE");
			System.exit(2);
		}
		String password = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).strip();
		try {
			new NewcomerSignIn().run(args[0], args[1], password);
		}
		catch (IllegalStateException ex) {
			System.err.println("newcomer sign-in FAILED: " + ex.getMessage());
			System.exit(1);
		}
	}

	private void run(String base, String user, String password) throws Exception {
		HttpResponse<String> start = get(base + "/");
		check(start.uri().getPath().equals("/login") && start.body().contains("name=\"username\""),
				"opening " + base + "/ should lead to the provider's sign-in form, got " + start.statusCode() + " at "
						+ start.uri());
		System.out.println("newcomer: " + base + "/ sent the browser to the sign-in form at " + start.uri());
		HttpResponse<String> signedIn = post(start.uri().resolve("/login").toString(),
				Map.of("username", user, "password", password, "_csrf", csrf(start)));
		check(signedIn.statusCode() == 200 && signedIn.uri().toString().startsWith(base)
				&& signedIn.body().contains(user),
				"signing in should come back to the sample showing " + user + ", got " + signedIn.statusCode() + " at "
						+ signedIn.uri());
		System.out.println("newcomer: signed in as " + user + ", back at " + signedIn.uri());

		String note = "Newcomer note " + UUID.randomUUID();
		HttpResponse<String> notes = get(base + "/notes");
		check(notes.statusCode() == 200 && notes.body().contains("id=\"note-count\""),
				"/notes should answer with the tenant's notes, got " + notes.statusCode());
		HttpResponse<String> added = post(base + "/notes", Map.of("body", note, "_csrf", csrf(notes)));
		check(added.statusCode() == 200 && added.body().contains(note),
				"a note added on /notes should be read back from the database, got " + added.statusCode());
		System.out.println("newcomer: /notes wrote a note to PostgreSQL as app_user and read it back");

		HttpResponse<String> visits = get(base + "/visits");
		int before = visits(visits);
		HttpResponse<String> counted = post(base + "/visits", Map.of("_csrf", csrf(visits)));
		int after = visits(counted);
		check(after == before + 1, "/visits should count one more visit in Redis: " + before + " then " + after);
		System.out.println("newcomer: /visits counted a visit in Redis (" + before + " -> " + after + ")");
	}

	private static int visits(HttpResponse<String> page) {
		Matcher matcher = Pattern.compile("id=\"visits\"[^>]*>(\\d+)<").matcher(page.body());
		check(page.statusCode() == 200 && matcher.find(),
				"/visits should show the visit count, got " + page.statusCode() + " at " + page.uri());
		return Integer.parseInt(matcher.group(1));
	}

	private static String csrf(HttpResponse<String> page) {
		Matcher matcher = CSRF.matcher(page.body());
		check(matcher.find(), "no CSRF token in the form at " + page.uri());
		return (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", "text/html").GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
		String body = new LinkedHashMap<>(form).entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.timeout(TIMEOUT)
			.header("Accept", "text/html")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static void check(boolean condition, String failure) {
		if (!condition) {
			throw new IllegalStateException(failure);
		}
	}

}
