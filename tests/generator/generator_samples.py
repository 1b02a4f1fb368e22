"""Sample documents the generator tests share, importable by a unique name (not ``conftest``)."""

PETSTORE = """\
openapi: 3.0.0
info: {title: Swagger Petstore, version: 1.0.0}
servers: [{url: "http://petstore.example/v1"}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        200:
          description: all pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  /pets/{petId}:
    get:
      operationId: showPetById
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: one pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        born: {type: string, format: date, example: 2020-01-01}
"""
