#!/bin/sh
# pre-commit for real: in a temporary git repository with a catalogue, a
# commit with a wrong claim is refused with the diagnostic and a correct
# one passes; once through the project's .pre-commit-hooks.yaml, once
# through the "repo: local" configuration the README shows. Nothing comes
# from the network: the hooks are language: system (the needlecheck under
# test is put first on PATH) and the hook repository is a local clone.
# pre-commit (Debian package) is installed when missing and we are root;
# otherwise the test is skipped with a message.
# Usage: precommit.sh path/to/needlecheck
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
missing=""
command -v git > /dev/null 2>&1 || missing="$missing git"
command -v pre-commit > /dev/null 2>&1 || missing="$missing pre-commit"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
		echo "installing:$missing"
		apt-get install -y -qq --no-install-recommends $missing > /dev/null 2>&1 ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $missing > /dev/null; } ||
			{ echo "lint pre-commit: cannot install$missing"; exit 1; }
	else
		echo "lint pre-commit: SKIPPED: needs the Debian packages$missing"
		echo "  (as root: apt-get install$missing)"
		exit 0
	fi
fi
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
start "lint pre-commit" "$1"

# the needlecheck under test, by the name the hook's entry uses
mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/needlecheck"
PATH="$tmp/bin:$PATH"
export PATH
export PRE_COMMIT_HOME="$tmp/cache" HOME="$tmp"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_NOSYSTEM=1

# a failed check shows what git and the hook said
explain() { sed 's/^/  | /' "$tmp/commit.txt"; }

# the hook repository: the project's .pre-commit-hooks.yaml, committed
git init -q "$tmp/hooks"
cp "$root/.pre-commit-hooks.yaml" "$tmp/hooks/"
(cd "$tmp/hooks" && git add . && git commit -q -m hooks) || exit 2
rev=$(cd "$tmp/hooks" && git rev-parse HEAD)

wrong='sku,name,ingredients,aftercare_day
S-1,Barrier Cream,"Aqua, Glycerin, Ceramide NP",0
S-2,Night Serum,"Aqua, Squalane, Retinol, Tocopherol",0
'
right='sku,name,ingredients,aftercare_day
S-1,Barrier Cream,"Aqua, Glycerin, Ceramide NP",0
S-2,Night Serum,"Aqua, Squalane, Retinol, Tocopherol",7
'

# shop NAME CONFIG: a repository with that .pre-commit-config.yaml; a
# wrong claim is refused, then the corrected catalogue is committed
shop() {
	repo="$tmp/$1"
	git init -q "$repo"
	printf '%s' "$2" > "$repo/.pre-commit-config.yaml"
	(cd "$repo" && pre-commit install > /dev/null) || { failed "$1: pre-commit install failed"; return; }
	printf '%s' "$wrong" > "$repo/catalogue.csv"
	(cd "$repo" && git add . && git commit -m "catalogue") > "$tmp/commit.txt" 2>&1
	status=$?
	expect "$1: a wrong claim is refused" '[ $status -ne 0 ] && [ -z "$(cd "$repo" && git log --oneline 2> /dev/null)" ]'
	expect "$1: with the diagnostic" 'grep -q "catalogue.csv:3:34: error: '"'"'Retinol'"'"' is a retinoid: not safe before day 7, claimed day 0 \[retinoid\]" "$tmp/commit.txt"'
	printf '%s' "$right" > "$repo/catalogue.csv"
	(cd "$repo" && git add . && git commit -m "catalogue") > "$tmp/commit.txt" 2>&1
	status=$?
	expect "$1: a correct claim passes" '[ $status -eq 0 ] && [ "$(cd "$repo" && git log --oneline | wc -l)" -eq 1 ] && grep -q "needlecheck lint.*Passed" "$tmp/commit.txt"'
}

shop hooks-repo "repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: needlecheck-lint
"
shop local "repos:
  - repo: local
    hooks:
      - id: needlecheck-lint
        name: needlecheck lint
        entry: needlecheck lint
        language: system
        types: [csv]
"

finish checks
