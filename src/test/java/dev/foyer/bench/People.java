package dev.foyer.bench;

import java.util.Locale;
import java.util.SplittableRandom;

import dev.foyer.support.Person;

/**
 * Made-up people with realistic-looking, unique email addresses ("maria.k8123@globex.example",
 * "nkowalski4411@mail.example", "quietotter907@inbox.example") and display names ("Maria Kowalski"), so that
 * searched prefixes hit the index the way real directories do: many common prefixes, some rare. Deterministic for
 * a seed. Every name has four letters or more, so 1 to 4 letter prefixes of them are letters only.
 */
final class People {

	static final String[] FIRST = { "maria", "james", "sophie", "liam", "olivia", "noah", "emma", "lucas", "amelia",
			"mateo", "chloe", "oliver", "isabel", "ethan", "hannah", "jakub", "zofia", "lukas", "anna", "pierre",
			"camille", "hugo", "giulia", "marco", "elena", "pablo", "lucia", "diego", "carmen", "ahmed", "fatima",
			"omar", "leila", "ravi", "priya", "arjun", "anika", "kenji", "yuki", "haruto", "sakura", "chen", "jian", "minh", "linh", "tuan", "ngozi", "chidi", "amara", "kwame", "abena", "sven", "ingrid",
			"erik", "astrid", "mikko", "aino", "dmitri", "olga", "ivan", "nadia", "tomas", "petra", "jonas", "lena",
			"felix", "mila", "oscar", "ruby", "george", "grace", "harry", "alice", "samuel", "julia", "daniel", "laura",
			"victor", "irene", "rafael", "beatriz", "joao", "ines", "sean", "aoife", "connor", "siobhan", "aleksander",
			"wiktoria", "bogdan", "ioana", "andrei", "elif", "emre", "zeynep", "yusuf", "dana", "noam", "tamar" };

	static final String[] LAST = { "kowalski", "smith", "johnson", "garcia", "martinez", "muller", "schmidt", "schneider",
			"fischer", "weber", "dubois", "moreau", "laurent", "rossi", "russo", "bianchi", "romano", "fernandez",
			"lopez", "gonzalez", "silva", "santos", "oliveira", "pereira", "nowak", "wisniewski", "wojcik", "kaminski",
			"novak", "svoboda", "dvorak", "horvath", "nagy", "popescu", "ionescu", "ivanov", "petrov", "smirnov",
			"kuznetsov", "jensen", "hansen", "nielsen", "larsen", "andersson", "johansson", "karlsson", "virtanen",
			"korhonen", "murphy", "kelly", "walsh", "obrien", "brown", "taylor", "wilson", "davies", "evans", "thomas",
			"roberts", "patel", "sharma", "singh", "kumar", "gupta", "khan", "hussain", "rahman", "ahmed", "yilmaz",
			"kaya", "demir", "cohen", "levi", "mizrahi", "tanaka", "suzuki", "takahashi", "watanabe", "yamamoto",
			"nakamura", "wang", "zhang", "chen", "yang", "huang", "zhao", "nguyen", "tran", "pham", "hoang", "okafor",
			"adeyemi", "mensah", "owusu", "kamau", "otieno", "diallo", "traore", "haddad", "khalil", "mansour" };

	static final String[] WORDS = { "quiet", "sunny", "brave", "lucky", "happy", "swift", "silver", "golden", "misty",
			"stormy", "blue", "green", "amber", "north", "wild", "otter", "falcon", "tiger", "panda", "raven", "maple",
			"cedar", "river", "ocean", "comet", "pixel", "echo", "nova", "blaze", "frost" };

	static final String[] DOMAINS = { "mail", "inbox", "post", "webmail", "globex", "initech", "acme", "umbrella",
			"hooli", "stark", "wayne", "wonka", "contoso", "fabrikam", "northwind", "tailspin" };

	final String[] emails;

	final String[] displayNames;

	People(int count, long seed) {
		this.emails = new String[count];
		this.displayNames = new String[count];
		SplittableRandom random = new SplittableRandom(seed);
		int modulus = 10;
		while (modulus < count) {
			modulus *= 10;
		}
		for (int i = 0; i < count; i++) {
			String first = pick(random, FIRST);
			String last = pick(random, LAST);
			// The running number keeps every address unique (i, or k * modulus + i); its width varies like real ones do.
			String number = Long.toString(i + (i % 3 == 0 ? 0 : random.nextInt(1, 90) * (long) modulus));
			String local = switch (random.nextInt(7)) {
				case 0 -> first + "." + last.charAt(0) + number;
				case 1 -> first.charAt(0) + last + number;
				case 2 -> first + "." + last + number;
				case 3 -> first + "_" + last.substring(0, 3) + number;
				case 4 -> last + "." + first + number;
				case 5 -> pick(random, WORDS) + pick(random, WORDS) + number;
				default -> first + number;
			};
			this.emails[i] = local + "@" + pick(random, DOMAINS) + ".example";
			this.displayNames[i] = capital(first) + " " + capital(last);
		}
	}

	/** A second, disjoint population (for the accounts with passwords): same shapes, another domain. */
	static String passwordUserEmail(int round, int i, SplittableRandom random) {
		return pick(random, FIRST) + "." + pick(random, LAST) + ".p" + round + "x" + i + "@passwords.example";
	}

	/**
	 * The n-th person to sign up, with a name and an address of their own: n counts up over a whole run, so that no
	 * address is used twice on a server, nor by both servers (they mail the same SMTP sink).
	 */
	static Person.Newcomer newcomer(long n, String password) {
		SplittableRandom random = new SplittableRandom(n);
		String first = pick(random, FIRST);
		String last = pick(random, LAST);
		return new Person.Newcomer(first + "." + last + ".s" + n + "@signups.example", password, capital(first), capital(last));
	}

	static String displayName(SplittableRandom random) {
		return capital(pick(random, FIRST)) + " " + capital(pick(random, LAST));
	}

	/** Printable ASCII without the characters a shell or form would fuss over; 16 of them for a password. */
	static String password(SplittableRandom random, int length) {
		String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!*+";
		StringBuilder sb = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return sb.toString();
	}

	static String capital(String name) {
		return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
	}

	static String pick(SplittableRandom random, String[] from) {
		return from[random.nextInt(from.length)];
	}

}
