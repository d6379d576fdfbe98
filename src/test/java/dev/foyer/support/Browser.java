package dev.foyer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;

import org.htmlunit.BrowserVersion;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlLabel;
import org.htmlunit.html.HtmlPage;

/**
 * A person with a browser (HtmlUnit), who finds fields by their visible label and buttons by their visible text,
 * as a screen reader user would.
 */
public final class Browser implements AutoCloseable {

	private final WebClient client = new WebClient(BrowserVersion.FIREFOX);

	private Page page;

	public Browser() {
		this.client.getOptions().setThrowExceptionOnFailingStatusCode(false);
		this.client.getOptions().setCssEnabled(false);
		this.client.getOptions().setJavaScriptEnabled(true);
		this.client.getOptions().setTimeout(30_000);
	}

	public Browser open(String url) {
		try {
			this.page = this.client.getPage(url);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	/** Submits a form to {@code url} as a page's form would (application/x-www-form-urlencoded). */
	public Browser post(String url, java.util.Map<String, String> form) {
		try {
			org.htmlunit.WebRequest request = new org.htmlunit.WebRequest(new java.net.URL(url), org.htmlunit.HttpMethod.POST);
			request.setRequestParameters(form.entrySet()
				.stream()
				.map(field -> (org.htmlunit.util.NameValuePair) new org.htmlunit.util.NameValuePair(field.getKey(), field.getValue()))
				.toList());
			this.page = this.client.getPage(request);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	public HtmlPage html() {
		if (!(this.page instanceof HtmlPage html)) {
			throw new AssertionError("Not an HTML page: " + url() + " (" + this.page.getWebResponse().getStatusCode() + ")");
		}
		return html;
	}

	public Browser fill(String label, String value) {
		HtmlLabel found = html().getFirstByXPath("//label[normalize-space()='" + label + "']");
		if (found == null) {
			throw new AssertionError("No field labelled '" + label + "' on " + url() + ":\n" + text());
		}
		HtmlInput input = (HtmlInput) html().getElementById(found.getForAttribute());
		input.setValue(value);
		return this;
	}

	public Browser click(String buttonText) {
		HtmlElement button = html().getFirstByXPath("//button[normalize-space()='" + buttonText + "']");
		if (button == null) {
			throw new AssertionError("No button '" + buttonText + "' on " + url() + ":\n" + text());
		}
		try {
			this.page = button.click();
			this.client.waitForBackgroundJavaScript(2000);
			this.page = this.client.getCurrentWindow().getEnclosedPage();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	public Browser follow(String linkText) {
		HtmlElement link = html().getFirstByXPath("//a[normalize-space()='" + linkText + "']");
		if (link == null) {
			throw new AssertionError("No link '" + linkText + "' on " + url());
		}
		try {
			this.page = link.click();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	public URI url() {
		try {
			return this.page.getUrl().toURI();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Whether this is the tenant's sign-in page, wherever it was served: as the answer to an authorization request
	 * of someone not signed in, or at {@code /t/{tenant}/login}.
	 */
	public boolean showsSignIn(String tenant) {
		return this.page instanceof HtmlPage html
				&& html.getForms().stream().anyMatch(form -> form.getActionAttribute().equals("/t/" + tenant + "/login"));
	}

	public int status() {
		return this.page.getWebResponse().getStatusCode();
	}

	public String header(String name) {
		return this.page.getWebResponse().getResponseHeaderValue(name);
	}

	public String text() {
		return this.page instanceof HtmlPage html ? html.asNormalizedText() : this.page.getWebResponse().getContentAsString();
	}

	public WebClient client() {
		return this.client;
	}

	@Override
	public void close() {
		this.client.close();
	}

}
