package dev.foyer.signin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One field of the sign-up attribute page, ready to render: its control, its label (possibly with Markdown
 * links, split into text and link segments that the template escapes), and what the person entered.
 */
public record SignUpField(String name, String control, List<Segment> label, boolean required, List<String> options,
		List<String> values, String problem) {

	private static final Pattern LINK = Pattern.compile("\\[([^\\]]{1,200})\\]\\((https?://[^\\s)]{1,500})\\)");

	/** Plain text, or a link where {@code href} is set (http and https only). */
	public record Segment(String text, String href) {
	}

	public String plainLabel() {
		return String.join("", this.label.stream().map(Segment::text).toList());
	}

	public String value() {
		return this.values.isEmpty() ? null : this.values.get(0);
	}

	static List<Segment> segments(String label) {
		List<Segment> segments = new ArrayList<>();
		Matcher link = LINK.matcher(label);
		int at = 0;
		while (link.find()) {
			if (link.start() > at) {
				segments.add(new Segment(label.substring(at, link.start()), null));
			}
			segments.add(new Segment(link.group(1), link.group(2)));
			at = link.end();
		}
		if (at < label.length()) {
			segments.add(new Segment(label.substring(at), null));
		}
		return segments;
	}

}
