"""Rules that apply across services: tags, instance types, protection of stateful resources."""
