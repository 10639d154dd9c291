# SPDX-License-Identifier: MIT
# bash completion for postal-backup: subcommands, their options, and files or directories
# where an option takes one. Installed as share/bash-completion/completions/postal-backup.

# One candidate per line, so file names with spaces stay whole.
_postal_backup_reply() {
  mapfile -t COMPREPLY < <(compgen "$@" -- "$cur")
}

_postal_backup() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  local global="--help --version --json --quiet -q"
  local connection="--config --host --port --socket --user --password-file --defaults-file
    --main-db --message-db-prefix"
  local secret="--key-file --passphrase-file"
  local keep="--keep-last --keep-daily --keep-weekly --keep-monthly --keep-yearly --keep-tag
    --keep-per-version"
  # Spaces only, no line feeds: the search below matches " $commands " word by word.
  local commands="create verify inspect catalog plan restore finish status rollback"
  commands+=" drill doctor list prune export schema help"

  # The subcommand (and schema's own subcommand) is the first word that is one.
  local command="" sub="" i
  for ((i = 1; i < cword; i++)); do
    if [ -z "$command" ] && [[ " $commands " == *" ${words[i]} "* ]]; then
      command=${words[i]}
    elif [ "$command" = schema ] && [ -z "$sub" ] \
      && [[ ${words[i]} == hash || ${words[i]} == check ]]; then
      sub=${words[i]}
    fi
  done

  case $prev in
    --config | --password-file | --defaults-file | --catalog | --metrics-file | -o | --output | \
      --socket | --key-file | --passphrase-file | --sign-key | --public-key | \
      --postal-compose)
      _postal_backup_reply -f
      return
      ;;
    --output-dir | --postal-app | --include-config | --config-dest)
      _postal_backup_reply -d
      return
      ;;
    --load-method)
      _postal_backup_reply -W "bulk load-data insert"
      return
      ;;
    --host | --port | --user | --main-db | --message-db-prefix | --databases | --level | \
      --threads | --chunk-size | --postal-version | --tag | --target-version | --database | \
      --migrate-with | --schedule-migrations | --run-scheduled | --lock-wait | --keep-last | \
      --keep-daily | --keep-weekly | --keep-monthly | --keep-yearly | --keep-tag | \
      --keep-per-version | --raw-since | --raw-days | --max-backup-age | --max-drill-age)
      return # a value only the operator knows
      ;;
  esac

  local options
  case $command in
    "") options="$global" ;;
    create)
      options="$connection --output -o --output-dir --databases --level --threads --chunk-size
        --postal-version --postal-app --postal-compose --tag --include-config --encrypt $secret
        --sign-key --force --incremental --full --verify-reused --prune $keep --public-key
        --metrics-file"
      ;;
    verify) options="$secret --public-key --threads --metrics-file" ;;
    inspect) options="$secret --public-key" ;;
    export) options="--output -o $secret --public-key" ;;
    catalog) options="--catalog" ;;
    plan)
      options="$connection --target-version --postal-app --catalog --without-raw --raw-since
        --raw-days --add-raw $secret --public-key"
      ;;
    restore)
      options="$connection --target-version --postal-app --catalog --databases --without-raw
        --raw-since --raw-days --add-raw --force --dry-run --keep-previous --migrate-with
        --schedule-migrations --config-dest $secret --public-key --lock-wait --threads
        --load-method --metrics-file"
      ;;
    drill)
      options="$connection --catalog --target-version --migrate-with $secret --public-key --threads
        --load-method --metrics-file"
      ;;
    doctor)
      options="$connection --catalog --postal-app --output-dir --metrics-file --public-key
        --max-backup-age --max-drill-age"
      ;;
    list) options="--verify --public-key" ;;
    prune) options="$keep --dry-run -n --public-key" ;;
    finish) options="$connection --catalog --keep-previous" ;;
    status) options="$connection --catalog --run-scheduled" ;;
    rollback) options="$connection --catalog --lock-wait" ;;
    help)
      # `help [command [subcommand]]`: the words are commands, not options.
      if [[ $cur != -* ]]; then
        if [ "$prev" = schema ]; then
          _postal_backup_reply -W "hash check"
        elif [ "$prev" = help ]; then
          _postal_backup_reply -W "${commands/ help/}"
        fi
        return
      fi
      ;;
    schema)
      case $sub in
        hash) options="$connection --database --canonical" ;;
        check) options="$connection --target-version --catalog" ;;
        *)
          _postal_backup_reply -W "hash check --help"
          return
          ;;
      esac
      ;;
  esac

  if [ -z "$command" ] && [[ $cur != -* ]]; then
    _postal_backup_reply -W "$commands"
  elif [[ $cur == -* ]]; then
    [ -n "$command" ] && options="$options --help --json --quiet"
    _postal_backup_reply -W "$options"
  else
    case $command in
      verify | inspect | plan | restore | export | drill) _postal_backup_reply -f ;; # the archive
      list | prune) _postal_backup_reply -d ;;                                # the backup directory
    esac
  fi
}

complete -F _postal_backup postal-backup
