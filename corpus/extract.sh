#!/usr/bin/env bash
# Lay out the files of deploy-corpus projects (deploy-manifest.tsv) from git directories of their
# repositories. Nothing written here is ever committed: it is other people's code, for measuring.
#
#   extract.sh GIT_DIR ID [DEST]        one project, from a clone or bare mirror of its `fetch` repo
#   extract.sh --all MIRRORS [DEST]     every project, GIT_DIR taken as MIRRORS/<owner>+<name>/repo
#                                       (the layout of the search library's `fetch`; a non-bare
#                                       clone's .git inside it is used when present)
#
# DEST defaults to /tmp/deploy-corpus; a project lands in DEST/ID/<path as in the repository>, and
# the CLI analyses DEST/ID/<root>. Files are read at the row's commit; symlinks stay symlinks and
# executables stay executable. A row whose `paths` is `*` is the whole tree at its commit (every
# file the snapshot holds), as a new user's checkout has it. MANIFEST=heldout-manifest.tsv (or heldout2-manifest.tsv) reads that
# manifest of this folder instead.
set -euo pipefail
manifest="$(cd "$(dirname "$0")" && pwd)/${MANIFEST:-deploy-manifest.tsv}"

field() { # field ID COLUMN-NUMBER
  awk -F'\t' -v id="$1" -v n="$2" 'NR > 1 && $1 == id { print $n; found = 1 } END { exit !found }' "$manifest"
}

one() { # one GIT_DIR ID DEST
  local git_dir=$1 id=$2 dest=$3 commit paths
  commit=$(field "$id" 3) || { echo "extract.sh: no row '$id' in $manifest" >&2; return 2; }
  paths=$(field "$id" 6)
  if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "extract.sh: $id: commit $commit is not in $git_dir" >&2
    return 1
  fi
  rm -rf "${dest:?}/$id"
  mkdir -p "$dest/$id"
  local -a list
  local whole=0
  if [ "$paths" = '*' ]; then
    # A whole-tree row: every file of the commit, as a new user's checkout has it.
    whole=1
    list=(.)
  else
    IFS=',' read -ra list <<<"$paths"
  fi
  # One ls-tree for the whole row (mode, object, path), then each blob by its object id: a
  # snapshot may lack unrelated large blobs, which `git archive` would trip over.
  local mode type object path n=0
  while IFS=$'\t' read -r -d '' meta path; do
    read -r mode type object <<<"$meta"
    [ "$type" = blob ] || continue
    # a snapshot lacks files of 4 MiB and more: a whole-tree row goes on without them, said
    if [ "$whole" -eq 1 ] && ! git --git-dir="$git_dir" cat-file -e "$object" 2>/dev/null; then
      echo "extract.sh: $id: $path is not in the snapshot (a large file), left out" >&2
      continue
    fi
    mkdir -p "$dest/$id/$(dirname "$path")"
    if [ "$mode" = 120000 ]; then
      ln -s "$(git --git-dir="$git_dir" cat-file blob "$object")" "$dest/$id/$path"
    else
      git --git-dir="$git_dir" cat-file blob "$object" >"$dest/$id/$path"
      [ "$mode" = 100755 ] && chmod +x "$dest/$id/$path"
    fi
    n=$((n + 1))
  done < <(git --git-dir="$git_dir" ls-tree -rz "$commit" -- "${list[@]}")
  [ "$whole" -eq 1 ] || [ "$n" -eq "${#list[@]}" ] || { echo "extract.sh: $id: $n of ${#list[@]} paths found at $commit" >&2; return 1; }
  echo "$id: $n files in $dest/$id (root $(field "$id" 4))"
}

if [ "${1:-}" = --all ]; then
  mirrors=${2:?usage: extract.sh --all MIRRORS [DEST]}
  dest=${3:-/tmp/deploy-corpus}
  status=0
  while IFS=$'\t' read -r id fetch _; do
    git_dir="$mirrors/${fetch/\//+}/repo"
    [ -d "$git_dir/.git" ] && git_dir="$git_dir/.git"
    one "$git_dir" "$id" "$dest" || status=1
  done < <(tail -n +2 "$manifest")
  exit $status
fi

[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
one "$1" "$2" "${3:-/tmp/deploy-corpus}"
