package dev.mountedsecrets.sample;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.sample.local.LocalServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a person sees it: a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) signs in through the local OAuth2 provider and uses the pages, on
 * the same real local servers as {@link SampleApplicationIT}. Screenshots go to
 * {@code target/browser-screenshots/}. Every page's HTML, and all output, is searched for the
 * secrets.
 * <p>
 * The same scenario runs against a deployment started elsewhere when {@code browser.base-url}
 * is set ({@code .ci/compose-check} does, for the sample under Compose with
 * {@code compose.local-provider.yaml}); then also: {@code browser.secrets} (its secrets folder),
 * {@code browser.provider-url} (the sign-in provider as the browser reaches it),
 * {@code browser.mail-api} (the SMTP server's Mailpit API) and {@code browser.redis-config-set}
 * (a command that sets the new Redis password, read from its standard input, as
 * {@code requirepass}). It expects a freshly started deployment, with no rotation yet.
 */
@ExtendWith(OutputCaptureExtension.class)
class BrowserIT {

	private static final Path SCREENSHOTS = Path.of(System.getProperty("browser.screenshots",
			"target/browser-screenshots"));

	private static final File BROWSER_BINARY = new File(System.getProperty("browser.binary", "/usr/bin/chromium"));

	private static final File BROWSER_DRIVER = new File(
			System.getProperty("browser.driver", "/usr/bin/chromedriver"));

	/** Set: the pages of a deployment started elsewhere; unset: the embedded run, started here. */
	private static final String EXTERNAL_BASE = System.getProperty("browser.base-url");

	/** Long enough for a rotation on a loaded machine; the waits end as soon as the page changes. */
	private static final Duration PATIENCE = Duration.ofSeconds(90);

	@TempDir
	static Path tempDir;

	private static Path secrets;

	/** The embedded run's servers; {@code null} for an external deployment. */
	private static LocalServices services;

	private static String provider;

	private static ConfigurableApplicationContext app;

	private static String base;

	private static ChromeDriver browser;

	private static WebDriverWait wait;

	/** Every secret value used in this run, old and new, to search pages and output for. */
	private static final List<String> secretValues = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		if (!browserInstalled()) {
			return;
		}
		if (EXTERNAL_BASE != null) {
			secrets = Path.of(required("browser.secrets"));
			base = EXTERNAL_BASE;
			provider = required("browser.provider-url");
		}
		else {
			secrets = tempDir;
			GenerateSecrets.generateMissing(secrets);
		}
		for (String name : GenerateSecrets.names()) {
			if (!name.equals("google_oauth_client_id")) {
				secretValues.add(read(name));
			}
		}
		// Typed into the provider's form only: never on a page of the sample, nor in the output.
		secretValues.add(LocalServices.demoPassword(secrets));
		if (EXTERNAL_BASE == null) {
			int port = RedisTestServer.freePort();
			services = LocalServices.start(secrets, port);
			app = SpringApplication.run(SampleApplication.class, services.sampleArguments(port));
			base = "http://localhost:" + port;
			provider = services.providerIssuer();
		}
		browser = chromium();
		wait = new WebDriverWait(browser, PATIENCE);
		Files.createDirectories(SCREENSHOTS);
	}

	private static boolean notRunReported;

	private static boolean browserInstalled() {
		return BROWSER_BINARY.canExecute() && BROWSER_DRIVER.canExecute();
	}

	/**
	 * Where no browser is installed (a developer's machine with only a JDK), each browser test
	 * is reported as skipped (not run), loudly, with the line that installs what they need; with
	 * {@code -Dbrowser.required=true} (CI) a missing browser fails them instead.
	 */
	@BeforeEach
	void requireBrowserOrReportNotRun() {
		if (browserInstalled()) {
			return;
		}
		String notRun = "BrowserIT NOT RUN: no headless Chromium at " + BROWSER_BINARY + " with chromedriver at "
				+ BROWSER_DRIVER + ". Install both with: sudo apt-get install chromium chromium-driver"
				+ " (or point -Dbrowser.binary and -Dbrowser.driver at them)";
		assertThat(Boolean.getBoolean("browser.required"))
			.as(notRun + "; this build requires the browser tests (-Dbrowser.required=true)")
			.isFalse();
		if (!notRunReported) {
			notRunReported = true;
			String rule = "*".repeat(100);
			System.err.println(rule + System.lineSeparator() + notRun + System.lineSeparator() + rule);
		}
		Assumptions.abort(notRun);
	}

	private static ChromeDriver chromium() {
		File binary = BROWSER_BINARY;
		File driver = BROWSER_DRIVER;
		ChromeOptions options = new ChromeOptions();
		options.setBinary(binary);
		// --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1440,900", "--lang=en-US");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).build();
		return new ChromeDriver(service, options);
	}

	@AfterEach
	void signOutIfSignedIn() {
		if (browser == null) {
			return;
		}
		browser.get(base + "/");
		if (browser.getCurrentUrl().startsWith(base)) {
			signOut();
		}
		// Whatever a failed test left behind, at the provider and at the sample.
		browser.get(provider + "/.well-known/openid-configuration");
		browser.manage().deleteAllCookies();
		browser.get(base + "/signed-out");
		browser.manage().deleteAllCookies();
	}

	@AfterAll
	static void stop(CapturedOutput output) throws Exception {
		try {
			if (browser != null) {
				browser.quit();
			}
		}
		finally {
			if (app != null) {
				app.close();
			}
			if (services != null) {
				services.close();
			}
		}
		if (services != null) {
			assertThat(output.getAll()).as("the capture saw the sample's log")
				.contains("secret file(s) from " + secrets);
		}
		for (String value : secretValues) {
			assertThat(output.getAll()).as("output must not contain a secret").doesNotContain(value);
		}
	}

	@Test
	void noteAddedByOneTenantIsShownToItAndNotToTheOtherTenant() throws Exception {
		signIn(LocalServices.DEMO_USER);
		assertThat(text("home-tenant")).isEqualTo("tenant-a.test");
		assertThat(text("home-roles")).isEqualTo("USER, OPS");
		screenshot("home");
		String note = "Browser note for tenant A " + UUID.randomUUID();
		String plan = "Quarterly plan: ship the dashboard " + UUID.randomUUID();
		browser.findElement(By.linkText("Notes")).click();
		wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Notes of tenant-a.test"));
		List<String> before = notes();
		browser.findElement(By.id("note-body")).sendKeys(note);
		browser.findElement(By.id("add-note-button")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes"), note));
		browser.findElement(By.id("note-body")).sendKeys(plan);
		browser.findElement(By.id("add-note-button")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes"), plan));
		List<String> expected = new ArrayList<>(before);
		expected.addAll(List.of(note, plan));
		assertThat(notes()).containsExactlyElementsOf(expected);
		screenshot("notes");

		signOut();
		signIn(LocalServices.OTHER_USER);
		assertThat(text("home-tenant")).isEqualTo("tenant-b.test");
		assertThat(browser.findElements(By.linkText("Wiring dashboard"))).as("no dashboard link without OPS").isEmpty();
		browser.findElement(By.linkText("Notes")).click();
		wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Notes of tenant-b.test"));
		List<String> otherTenantNotes = notes();
		assertThat(otherTenantNotes).doesNotContain(note, plan);
		assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain(note).doesNotContain(plan);
		if (otherTenantNotes.isEmpty()) {
			assertThat(browser.findElement(By.tagName("main")).getText()).contains("No notes yet for this tenant.");
		}
		screenshot("notes-other-tenant");

		browser.get(base + "/dashboard");
		wait.until(ExpectedConditions.textToBe(By.id("error-title"), "This page is not for your account"));
		assertThat(browser.getPageSource()).doesNotContain("Whitelabel").contains("sample.ops-users");
		screenshot("error-403");
	}

	@Test
	void dashboardIsGreenAndShowsRedisRotationWithoutReload() throws Exception {
		signIn(LocalServices.DEMO_USER);
		browser.findElement(By.linkText("Wiring dashboard")).click();
		wait.until(ExpectedConditions.textToBe(By.id("overall"), "All wired"));
		List<WebElement> rows = browser.findElements(By.cssSelector("#wiring tbody tr"));
		assertThat(rows).hasSize(GenerateSecrets.names().size());
		for (WebElement row : rows) {
			assertThat(row.getDomAttribute("class")).as(row.getText()).isEqualTo("green");
		}
		assertThat(text("health")).isEqualTo("UP");
		assertThat(cell("db_password_server", "consumer")).contains("current_user=app_user")
			.contains("can bypass RLS=false");
		assertThat(cell("redis_password", "feeds")).contains("spring.data.redis.password");
		assertThat(cell("redis_password", "consumer")).contains("reply PONG");
		assertThat(cell("redis_password", "lastRotation")).isEqualTo("never");
		screenshot("dashboard");

		((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
		String oldPassword = read("redis_password");
		String newPassword = "Rotated-" + UUID.randomUUID().toString().replace("-", "");
		secretValues.add(newPassword);
		// The README's order with CONFIG SET requirepass: the server first, then the file at once.
		setRedisPassword(oldPassword, newPassword);
		Files.writeString(secrets.resolve("redis_password"), newPassword + "\n", StandardCharsets.UTF_8);

		By lastRotation = By.cssSelector("#row-redis_password [data-field=lastRotation]");
		wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(lastRotation, "never")));
		assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
			.as("the page was not reloaded")
			.isEqualTo(true);
		assertThat(browser.findElement(lastRotation).getText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
		// The next refresh runs the live check after the rotation for sure.
		String seen = text("checked-at");
		wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(By.id("checked-at"), seen)));
		assertThat(browser.findElement(By.id("row-redis_password")).getDomAttribute("class")).isEqualTo("green");
		assertThat(cell("redis_password", "consumer")).contains("reply PONG");
		assertThat(text("overall")).isEqualTo("All wired");
		screenshot("dashboard-after-rotation");

		browser.findElement(By.linkText("Visits")).click();
		String before = text("visits");
		browser.findElement(By.id("count-visit")).click();
		wait.until(ExpectedConditions.textToBe(By.id("visits"), String.valueOf(Long.parseLong(before) + 1)));
	}

	@Test
	void visitsMailAndTokenPagesUseTheRealServers() throws Exception {
		signIn(LocalServices.OTHER_USER);
		browser.findElement(By.linkText("Visits")).click();
		String before = text("visits");
		browser.findElement(By.id("count-visit")).click();
		wait.until(ExpectedConditions.textToBe(By.id("visits"), String.valueOf(Long.parseLong(before) + 1)));

		browser.findElement(By.linkText("Test mail")).click();
		assertThat(browser.findElement(By.id("mail-to")).getDomProperty("value")).isEqualTo(LocalServices.OTHER_USER);
		browser.findElement(By.id("send-mail")).click();
		wait.until(ExpectedConditions.textToBe(By.id("mail-done"),
				"Sent to " + LocalServices.OTHER_USER + " through the SMTP server."));
		assertThat(mailSubjects()).contains("Notes of tenant-b.test");

		browser.findElement(By.linkText("API token")).click();
		String token = browser.findElement(By.id("api-token")).getDomProperty("value");
		HttpResponse<String> notes = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(base + "/api/notes"))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(notes.statusCode()).isEqualTo(200);
		assertThat(notes.body()).startsWith("[");
		screenshot("token");

		// Machines keep getting JSON at the same addresses, with the same session.
		String session = "JSESSIONID=" + browser.manage().getCookieNamed("JSESSIONID").getValue();
		for (String accept : List.of("application/json", "*/*")) {
			for (String path : List.of("/", "/token")) {
				HttpResponse<String> json = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(base + path))
						.header("Cookie", session)
						.header("Accept", accept)
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(json.statusCode()).as(path + " " + accept).isEqualTo(200);
				assertThat(json.headers().firstValue("Content-Type")).as(path + " " + accept)
					.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
				assertThat(json.body()).contains("\"tenant\":\"tenant-b.test\"");
			}
		}
	}

	@Test
	void errorPagesExplainWhatHappenedInsteadOfWhitelabel() throws Exception {
		signIn(LocalServices.OTHER_USER);
		browser.get(base + "/no-such-page");
		wait.until(ExpectedConditions.textToBe(By.id("error-title"), "Nothing here"));
		assertThat(browser.getPageSource()).doesNotContain("Whitelabel").contains("/no-such-page");
		screenshot("error-404");

		browser.get(base + "/error");
		wait.until(ExpectedConditions.textToBe(By.id("error-title"), "Something went wrong on our side"));
		assertThat(browser.getPageSource()).doesNotContain("Whitelabel");

		// A sign-in answer the sample did not ask for (no matching request in the session).
		browser.get(base + "/login/oauth2/code/google?code=forged&state=forged");
		wait.until(ExpectedConditions.textToBe(By.id("error-title"), "Sign-in did not complete"));
		assertThat(browser.getPageSource()).doesNotContain("Whitelabel").contains("Sign in again");
		screenshot("error-401");
	}

	private static void signIn(String user) throws IOException {
		browser.get(base + "/");
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
		assertThat(browser.getCurrentUrl()).as("the local provider's sign-in form").startsWith(provider);
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(LocalServices.demoPassword(secrets));
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBe(By.id("home-user"), user));
		assertThat(browser.getCurrentUrl()).startsWith(base);
	}

	private static void signOut() {
		browser.findElement(By.id("sign-out")).click();
		wait.until(ExpectedConditions.textToBe(By.id("signed-out"), "You are signed out"));
		assertThat(browser.getCurrentUrl()).isEqualTo(base + "/signed-out");
	}

	private static List<String> notes() {
		return browser.findElements(By.cssSelector("#notes li")).stream().map(WebElement::getText).toList();
	}

	/** Redis takes the new password as {@code requirepass}; live connections stay logged in. */
	private static void setRedisPassword(String oldPassword, String newPassword) throws Exception {
		if (services == null) {
			Process process = new ProcessBuilder(required("browser.redis-config-set")).redirectErrorStream(true).start();
			try (OutputStream input = process.getOutputStream()) {
				input.write(newPassword.getBytes(StandardCharsets.UTF_8));
			}
			String reply = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			assertThat(process.waitFor()).as("exit code of browser.redis-config-set").isZero();
			assertThat(reply).as("reply of CONFIG SET requirepass").isEqualTo("OK");
			return;
		}
		RedisClient admin = RedisClient.create(RedisURI.Builder.redis("127.0.0.1", services.redisPort())
			.withPassword(oldPassword.toCharArray())
			.build());
		try (StatefulRedisConnection<String, String> connection = admin.connect()) {
			connection.sync().configSet("requirepass", newPassword);
		}
		finally {
			admin.shutdown();
		}
	}

	/** Subjects of the mails the SMTP server received (the page reports a send once it is accepted). */
	private static List<String> mailSubjects() throws Exception {
		if (services == null) {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(required("browser.mail-api") + "/api/v1/messages")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			List<String> subjects = new ArrayList<>();
			Matcher subject = Pattern.compile("\"Subject\"\\s*:\\s*\"([^\"]*)\"").matcher(response.body());
			while (subject.find()) {
				subjects.add(subject.group(1));
			}
			return subjects;
		}
		assertThat(services.smtp().waitForIncomingEmail(1)).isTrue();
		List<String> subjects = new ArrayList<>();
		for (MimeMessage message : services.smtp().getReceivedMessages()) {
			subjects.add(message.getSubject());
		}
		return subjects;
	}

	private static String required(String property) {
		String value = System.getProperty(property);
		assertThat(value).as("system property %s (needed with browser.base-url)", property).isNotBlank();
		return value;
	}

	private static String text(String id) {
		return browser.findElement(By.id(id)).getText();
	}

	private static String cell(String secret, String field) {
		return browser.findElement(By.cssSelector("#row-" + secret + " [data-field=" + field + "]")).getText();
	}

	/** Saves what the browser shows, after checking that no secret is on the page. */
	private static void screenshot(String name) throws IOException {
		String page = browser.getPageSource();
		for (String value : secretValues) {
			assertThat(page).as("page %s must not show a secret", name).doesNotContain(value);
		}
		// The whole page, not only the window: the dashboard is taller than the window.
		JavascriptExecutor script = (JavascriptExecutor) browser;
		Number width = (Number) script.executeScript("return document.documentElement.scrollWidth;");
		Number height = (Number) script.executeScript("return document.documentElement.scrollHeight;");
		Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot",
				Map.of("captureBeyondViewport", true, "clip",
						Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
		Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
	}

	private static String read(String name) throws IOException {
		String value = Files.readString(secrets.resolve(name), StandardCharsets.UTF_8);
		return value.substring(0, value.length() - 1);
	}

}
