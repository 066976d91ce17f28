"""The portal's user interface base: layout, components, form rendering and the public pages."""
